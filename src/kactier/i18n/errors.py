"""The message of every error that stops a run (a KactierError), by key, in Chinese and English: reading the input
here, the rest of the run (output, batch, history, Config sheet, orders) in :mod:`.run_errors`.

Each message names the file (and the sheet, row, column or cell) and says what to do. ``{fields}`` are filled by
:class:`kactier.errors.KactierError`; a ``where.*`` or ``what.*`` text is a part of a message (a
:class:`kactier.errors.Phrase`), worded in the message's language.
"""

ERRORS: dict[str, tuple[str, str]] = {
    # -- the handler --------------------------------------------------------------------------------------------
    "error.interrupted": ("已中断；未写入任何文件", "interrupted; nothing was written"),
    "error.internal": (
        "内部错误：{error}；请加 --debug 重新运行并报告此问题",
        "internal error: {error}; re-run with --debug and report it",
    ),
    # -- parts of messages --------------------------------------------------------------------------------------
    "where.sheet": ("{path}：工作表“{sheet}”", "{path}: sheet {sheet!r}"),
    "where.part": ("{path}：部件“{part}”", "{path}: part {part!r}"),
    "where.header": (
        "{path}：工作表“{sheet}”，表头第 {row} 行",
        "{path}: sheet {sheet!r}, header row {row}",
    ),
    "what.workbook": ("工作簿", "workbook"),
    "what.xls": ("旧版 .xls 工作簿", "legacy .xls workbook"),
    "what.xlsb": ("Excel 二进制（.xlsb）工作簿", "Excel binary (.xlsb) workbook"),
    "what.ods": ("OpenDocument 电子表格", "OpenDocument spreadsheet"),
    "what.word": ("Word 文档", "a Word document"),
    "what.ppt": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    "what.office": ("Office 文件", "an Office file"),
    "what.odt": ("OpenDocument 文本文件", "an OpenDocument text file"),
    "what.odp": ("OpenDocument 演示文稿", "an OpenDocument presentation"),
    "what.od_other": ("不是电子表格的 OpenDocument 文件", "an OpenDocument file that is not a spreadsheet"),
    "what.biff2_4": ("Excel 2.x–4.0 工作表（BIFF2–4）", "an Excel 2.x-4.0 worksheet (BIFF2-4)"),
    "what.biff_stream": (
        "脱离 .xls 容器的 Excel 工作簿数据流",
        "a bare Excel workbook stream taken out of its .xls container",
    ),
    "what.lotus": ("Lotus 1-2-3 工作表（.wk1/.wk3/.wk4）", "a Lotus 1-2-3 worksheet (.wk1/.wk3/.wk4)"),
    "what.fods": ("OpenDocument 平面 XML 电子表格（.fods）", "a flat OpenDocument spreadsheet (.fods)"),
    "what.sylk": ("SYLK 符号链接文件（.slk）", "a SYLK file (.slk)"),
    "what.dif": ("DIF 数据交换文件（.dif）", "a DIF data interchange file (.dif)"),
    "what.xlsb_macro": (
        "带 Excel 4.0 宏表的 Excel 二进制（.xlsb）工作簿",
        "an Excel binary (.xlsb) workbook with an Excel 4.0 macro sheet",
    ),
    "what.numbers": ("Apple Numbers 表格", "an Apple Numbers spreadsheet"),
    "what.zip": ("不含工作簿的 zip 压缩包", "a zip archive that holds no workbook"),
    "what.cell": ("单元格 {ref}", "cell {ref}"),
    "what.a_cell": ("某个单元格", "a cell"),
    "what.reader_stopped": ("读取程序中止：{last}", "the reader stopped: {last}"),
    "what.reader_killed": ("读取程序被终止", "the reader was killed"),
    # -- opening the input --------------------------------------------------------------------------------------
    "input.missing": ("{path}：文件不存在；请检查路径", "{path}: no such file; check the path"),
    "input.folder": ("{path}：这是一个文件夹；请给出工作簿文件", "{path}: is a folder; give a workbook file"),
    "input.unreadable": ("{path}：无法读取（{reason}）", "{path}: cannot be read ({reason})"),
    "input.empty": (
        "{path}：文件为空（0 字节）；请重新导出或保存工作簿",
        "{path}: the file is empty (0 bytes); export or save the workbook again",
    ),
    "input.pdf": (
        "{path}：这是 PDF 文档，不是工作簿；请从数据来源导出为 .xlsx",
        "{path}: is a PDF document, not a workbook; export the data from its source as .xlsx",
    ),
    "input.not_a_workbook": (
        "{path}：既不是工作簿（.xlsx/.xlsm/.xls/.ods），也不是 CSV 文件；请用 Excel 打开并另存为 .xlsx",
        "{path}: is neither a workbook (.xlsx/.xlsm/.xls/.ods) nor a CSV file; open it in Excel and save it as .xlsx",
    ),
    "input.unsupported_format": (
        "{path}：这是{what}，kactier 不支持这种格式；请用 Excel、WPS 或 LibreOffice 打开并另存为 .xlsx",
        "{path}: is {what}, a format kactier does not support; open it in Excel, WPS or LibreOffice and save it "
        "as .xlsx",
    ),
    "input.xml2003": (
        "{path}：这是 Excel 2003 XML 电子表格，kactier 不读取这种格式；请用 Excel 打开并另存为 .xlsx",
        "{path}: is an Excel 2003 XML spreadsheet, which kactier does not read; open it in Excel and save it as .xlsx",
    ),
    "input.html": (
        "{path}：这是以电子表格文件名保存的网页（HTML），不是工作簿；请用 Excel 打开并另存为 .xlsx，或将数据导出为 CSV",
        "{path}: is a web page (HTML) saved with a spreadsheet name, not a workbook; "
        "open it in Excel and save it as .xlsx, or export the data as CSV",
    ),
    "input.csv_not_workbook": ("{path}：这是 CSV 文件，不是工作簿", "{path}: is a CSV file, not a workbook"),
    "input.csv_named_workbook": (
        "{path}：这是以工作簿文件名保存的 CSV 文本，不是工作簿；请改名为 {csv_name}（kactier 可读取 CSV），"
        "或用 Excel 打开并另存为 .xlsx",
        "{path}: is CSV text saved with a workbook name, not a workbook; rename it to {csv_name} "
        "(kactier reads CSV) or open it in Excel and save it as .xlsx",
    ),
    "input.decrypted_not_xlsx": (
        "{path}：解密后的工作簿不是 .xlsx；请用 Excel 重新保存",
        "{path}: the decrypted workbook is not an .xlsx; save it again from Excel",
    ),
    "input.calamine": (
        "{path}：无法作为工作簿读取（{reason}）；请用 Excel 打开后重新保存",
        "{path}: cannot be read as a workbook ({reason}); open it in Excel and save it again",
    ),
    "input.sheet_unreadable": (
        "{path}：工作表“{sheet}”无法读取（{reason}）；请用 Excel 打开文件后重新保存",
        "{path}: sheet {sheet!r} cannot be read ({reason}); open the file in Excel and save it again",
    ),
    # -- OLE files and encryption -------------------------------------------------------------------------------
    "input.ole_other": (
        "{path}：这是 kactier 无法读取的 Office 文件（OLE 格式），不是工作簿；请用 Excel 打开并另存为 .xlsx",
        "{path}: is an Office file (OLE format) that is not a workbook kactier reads; "
        "open it in Excel and save it as .xlsx",
    ),
    "input.ole_damaged": (
        "{path}：文件已损坏或不完整（{reason}）；请用 Excel 重新另存为 .xlsx",
        "{path}: the file is damaged or incomplete ({reason}); save it again from Excel as .xlsx",
    ),
    "input.ole_document": (
        "{path}：这是{what}（OLE 格式），不是工作簿；请提供客户工作簿（.xlsx）",
        "{path}: is {what} (OLE format), not a workbook; give the customer workbook (.xlsx)",
    ),
    "input.password_needed": (
        "{path}：该{what}设有密码；请用 --password 提供密码（或设置环境变量 {env}）",
        "{path}: the {what} is password-protected; pass its password with --password (or set {env})",
    ),
    "input.password_wrong": (
        "{path}：{what}的密码不正确；请核对后重试",
        "{path}: wrong password for the {what}; check it and try again",
    ),
    "input.password_unsupported": (
        "{path}：该{what}设有密码，而 kactier 无法解密这类文件；请去掉密码后另存，或另存为 .xlsx（可保留密码）",
        "{path}: the {what} is password-protected, and kactier cannot decrypt this kind of file; "
        "save it without the password, or save it as .xlsx (which can keep the password)",
    ),
    "input.decrypt_failed": (
        "{path}：该{what}无法解密（{reason}）；请用 Excel 重新保存",
        "{path}: the {what} cannot be decrypted ({reason}); save it again from Excel",
    ),
    "input.decrypt_damaged": (
        "{path}：该{what}已损坏，无法解密（{reason}）",
        "{path}: the {what} is damaged and cannot be decrypted ({reason})",
    ),
    "output.encrypt_failed": (
        "{path}：无法写入加密的工作簿（{reason}）",
        "{path}: cannot write the encrypted workbook ({reason})",
    ),
    # -- legacy formats (.xls, .xlsb, .ods), read in a child process ----------------------------------------------
    "input.probe_timeout": (
        "{path}：读取该{what}超过 {seconds} 秒；请用 Excel 打开并另存为 .xlsx",
        "{path}: reading the {what} takes more than {seconds} s; open it in Excel and save it as .xlsx",
    ),
    "input.probe_start": (
        "{path}：无法启动{what}的读取程序（{reason}）",
        "{path}: cannot start the reader for the {what} ({reason})",
    ),
    "input.probe_memory": (
        "{path}：读取该{what}所需的内存超过了 kactier 允许读取程序使用的上限（{limit}）；文件本身未必损坏："
        "请用 Excel 打开，删除数据区以外的行和列并另存为 .xlsx（.xlsx 不经这个读取程序）",
        "{path}: reading the {what} needs more memory than kactier lets its reader use ({limit}); the file may "
        "well be sound: open it in Excel, delete the rows and columns beyond the data and save it as .xlsx (an "
        ".xlsx does not go through that reader)",
    ),
    "input.probe_failed": (
        "{path}：该{what}无法读取（{reason}）；文件已损坏或经过篡改：请用 Excel 打开并另存为 .xlsx",
        "{path}: the {what} cannot be read ({reason}); it is damaged or crafted: open it in Excel and save it as .xlsx",
    ),
    "input.probe_output": (
        "{path}：该{what}无法读取；请用 Excel 打开并另存为 .xlsx",
        "{path}: the {what} cannot be read; open it in Excel and save it as .xlsx",
    ),
    "input.probe_too_big": (
        "{where}有 {rows:,} 行、{columns:,} 列，超出 Excel 的 {max_rows:,} × {max_columns:,}；请拆分数据",
        "{where} has {rows:,} rows and {columns:,} columns, beyond Excel's {max_rows:,} x {max_columns:,}; "
        "split the data",
    ),
    "input.probe_sparse": (
        "{where}跨 {rows:,} 行 × {columns:,} 列，却只有 {cells:,} 个单元格；请删除数据区以外的零散单元格"
        "（按 Ctrl+End 可定位最后一个），再另存为 .xlsx",
        "{where} spans {rows:,} rows x {columns:,} columns but holds only {cells:,} cells; delete the stray cells "
        "beyond the data (Ctrl+End shows the last one) and save it as .xlsx",
    ),
    # -- CSV ----------------------------------------------------------------------------------------------------
    "input.csv_too_big": (
        "{path}：CSV 文件有 {size:,} 字节，超出 kactier 可读取的大小；请拆分文件",
        "{path}: the CSV file is {size:,} bytes, more than kactier reads; split it",
    ),
    "input.csv_encoding": (
        "{path}：CSV 文件既不是 UTF-8 也不是 GBK 文本（某数据块的第 {byte:,} 字节）；请另存为 CSV UTF-8",
        "{path}: the CSV file is neither UTF-8 nor GBK text (byte {byte:,} of a block); save it again as CSV UTF-8",
    ),
    "input.csv_too_many_rows": (
        "{path}：CSV 文件超过 Excel 的 {max_rows:,} 行；请拆分为多个文件",
        "{path}: the CSV file has more than Excel's {max_rows:,} rows; split it into several files",
    ),
    "input.csv_malformed": (
        "{path}：第 {line} 行：{reason}；有字段超过 Excel 的 {max_text:,} 个字符，或引号未闭合：请修正文件",
        "{path}: line {line}: {reason}; a field holds more than Excel's {max_text:,} characters or a quote is "
        "not closed: fix the file",
    ),
    "input.csv_long_field": (
        "{path}：第 {line} 行第 {field} 个字段有 {length:,} 个字符，超过 Excel 每个单元格 {max_text:,} 个字符的上限；"
        "请缩短",
        "{path}: line {line}, field {field} holds {length:,} characters, more than Excel's {max_text:,} per cell; "
        "shorten it",
    ),
    # -- the zip package ----------------------------------------------------------------------------------------
    "input.zip_damaged": (
        "{path}：文件已损坏或不完整（无法读取 zip 目录：{reason}）；如果文件仍在复制或下载，请稍候重试，"
        "否则请用 Excel 重新保存",
        "{path}: the file is damaged or incomplete (its zip directory cannot be read: {reason}); "
        "if it is still being copied or downloaded wait and retry, else save it again from Excel",
    ),
    "input.zip_members": (
        "{path}：zip 内有 {count:,} 个部件，远多于任何工作簿（{max_count:,}）；kactier 不读取此文件",
        "{path}: the zip holds {count:,} parts, more than a workbook ever has ({max_count:,}); "
        "it is not a workbook kactier will read",
    ),
    "input.zip_duplicate": (
        "{path}：zip 中有部件重复列出，不同程序可能读出不同内容；请用 Excel 打开文件后重新保存",
        "{path}: the zip lists a part twice, so readers may disagree on its content; "
        "open the file in Excel and save it again",
    ),
    "input.zip_encrypted": (
        "{path}：zip 中有部件设了密码；这不是 Excel 工作簿",
        "{path}: parts of the zip are password-protected; this is not an Excel workbook",
    ),
    "input.zip_part_too_big": (
        "{where}声称解压后有 {size:,} 字节，超出 kactier 可读取的大小（{max_size:,}）；这是 zip 炸弹，"
        "或工作簿过大：请拆分",
        "{where} claims {size:,} bytes once decompressed, beyond what kactier reads ({max_size:,}); "
        "a zip bomb, or a workbook too large: split it",
    ),
    "input.zip_bomb": (
        "{where}解压后膨胀 {ratio:,} 倍（{packed:,} -> {size:,} 字节）：这是 zip 炸弹，不是工作簿；请勿打开",
        "{where} decompresses {ratio:,} times over ({packed:,} -> {size:,} bytes): a zip bomb, not a workbook; "
        "do not open it",
    ),
    "input.zip_sizes_lie": (
        "{where}声称有 {size:,} 字节，压缩后却有 {packed:,} 字节：大小信息不实（文件经过篡改或已损坏）；"
        "请勿打开，请从原始文件重新保存",
        "{where} claims {size:,} bytes but holds {packed:,} compressed: its sizes lie (a crafted or damaged file); "
        "do not open it, save it again from the original",
    ),
    "input.zip_compression": (
        "{where}使用了 Excel 不会使用的压缩方式；请用 Excel 重新保存文件",
        "{where} uses a compression Excel does not write; save the file again from Excel",
    ),
    "input.zip_not_workbook": (
        "{path}：这是{what}，不是工作簿；请提供客户工作簿（.xlsx）",
        "{path}: is {what}, not a workbook; give the customer workbook (.xlsx)",
    ),
    "input.workbook_part_missing": (
        "{path}：缺少工作簿部件“{part}”；请重新保存文件",
        "{path}: the workbook part {part!r} is missing; save the file again",
    ),
    "input.part_too_big": (
        "{path}：部件“{part}”大于此类部件应有的大小（{max_size:,} 字节）；文件经过篡改或已损坏，kactier 不读取",
        "{path}: part {part!r} is larger than such a part ever is ({max_size:,} bytes); "
        "the file is crafted or damaged, kactier does not read it",
    ),
    "input.part_missing": (
        "{path}：缺少部件“{part}”；工作簿已损坏，请重新保存",
        "{path}: part {part!r} is missing; the workbook is damaged, save it again",
    ),
    "input.part_sizes_lie": (
        "{path}：部件“{part}”已损坏或大小信息不实（{reason}）；如果文件仍在复制，请稍候重试，否则请用 Excel 重新保存",
        "{path}: part {part!r} is damaged or its sizes lie ({reason}); "
        "if it is still being copied wait and retry, else save it again from Excel",
    ),
    "input.part_damaged": (
        "{path}：部件“{part}”已损坏（{reason}）；请重新保存文件",
        "{path}: part {part!r} is damaged ({reason}); save the file again",
    ),
    "input.part_entities": (
        "{path}：部件“{part}”声明了 DOCTYPE 或实体，Excel 从不这样写（XML 实体攻击）；kactier 不读取",
        "{path}: part {part!r} declares a DOCTYPE or entities, which Excel never writes (an XML entity attack); "
        "kactier does not read it",
    ),
    "input.part_bad_xml": (
        "{path}：部件“{part}”不是格式正确的 XML（{reason}）；工作簿已损坏，请用 Excel 重新保存",
        "{path}: part {part!r} is not well-formed XML ({reason}); the workbook is damaged, save it again from Excel",
    ),
    "input.shared_strings_too_big": (
        "{path}：共享字符串部件有 {size:,} 字节，超出 kactier 可读取的大小（{max_size:,}）；请拆分工作簿",
        "{path}: the shared strings part is {size:,} bytes, beyond what kactier reads ({max_size:,}); "
        "split the workbook",
    ),
    # -- sheets -------------------------------------------------------------------------------------------------
    "input.cell_too_long": (
        "{where}，{cell}有 {length:,} 个字符，超过 Excel 每个单元格 {max_text:,} 个字符的上限；"
        "请缩短（否则无法原样写回）",
        "{where}, {cell} holds {length:,} characters, more than Excel's {max_text:,} per cell; "
        "shorten it (nothing can be written back without losing text)",
    ),
    "input.sheet_utf16": (
        "{path}：工作表“{sheet}”以 UTF-16 XML 存储，Excel 从不这样写；请用 Excel 打开文件后重新保存",
        "{path}: sheet {sheet!r} is stored as UTF-16 XML, which Excel never writes; "
        "open the file in Excel and save it again",
    ),
    "input.sheet_sizes_lie": (
        "{where}已损坏或大小信息不实（{reason}）；请用 Excel 重新保存",
        "{where} is damaged or its sizes lie ({reason}); save it again from Excel",
    ),
    "input.sheet_bad_xml": (
        "{where}不是格式正确的 XML（{reason}）；文件已损坏或经过篡改，请用 Excel 重新保存",
        "{where} is not well-formed XML ({reason}); the file is damaged or crafted, save it again from Excel",
    ),
    "input.sheet_too_slow": (
        "{where}的布局异常，检查耗时过长；请用 Excel 打开文件后重新保存",
        "{where} is laid out so unusually that checking it takes too long; open the file in Excel and save it again",
    ),
    "input.sheet_bad_row": (
        "{where}有一行的行号为 {number!r}，Excel 不可能有这样的行；文件已损坏",
        "{where} has a row numbered {number!r}, not a row Excel can have; the file is damaged",
    ),
    "input.sheet_bad_cell": (
        "{where}有一个位于 {ref!r} 的单元格，Excel 不可能有这样的单元格；文件已损坏",
        "{where} has a cell at {ref!r}, not a cell Excel can have; the file is damaged",
    ),
    "input.cell_beyond_rows": (
        "{where}在 {ref} 处有单元格，超出 Excel 的 {max_rows:,} 行；文件经过篡改或已损坏，kactier 不读取",
        "{where} places a cell at {ref}, beyond Excel's {max_rows:,} rows; "
        "the file is crafted or damaged, kactier does not read it",
    ),
    "input.cell_beyond_columns": (
        "{where}在 {ref} 处有单元格，超出 Excel 的最后一列 XFD；文件经过篡改或已损坏，kactier 不读取",
        "{where} places a cell at {ref}, beyond Excel's last column XFD; "
        "the file is crafted or damaged, kactier does not read it",
    ),
    "input.sheet_too_many_rows": (
        "{where}的单元格一直到第 {row:,} 行，超过 Excel 的 {max_rows:,} 行；请把数据拆分到多个工作表或文件",
        "{where} has cells down to row {row:,}, more than Excel's {max_rows:,} rows; "
        "split the data over several sheets or files",
    ),
    "input.sheet_too_many_columns": (
        "{where}的单元格一直到第 {column:,} 列，超过 Excel 的 {max_columns:,} 列；文件经过篡改或已损坏，kactier 不读取",
        "{where} has cells out to column {column:,}, more than Excel's {max_columns:,} columns; "
        "the file is crafted or damaged, kactier does not read it",
    ),
    "input.sheet_sparse": (
        "{where}有单元格远至 {last}，却只有 {cells:,} 个单元格（需铺开 {area:,} 个）；请删除数据区以外的零散单元格"
        "（按 Ctrl+End 可定位最后一个），再重新保存",
        "{where} has a cell as far out as {last} although it holds only {cells:,} cells ({area:,} cells to lay "
        "out); delete the stray cells beyond the data (Ctrl+End shows the last one) and save it again",
    ),
    "input.sheet_no_part": (
        "{where}在工作簿中没有对应的部件；文件已损坏，请用 Excel 重新保存",
        "{where} has no part in the workbook; the file is damaged, save it again from Excel",
    ),
    "input.sheet_part_missing": (
        "{where}：缺少其部件“{part}”；文件已损坏，请重新保存",
        "{where}: its part {part!r} is missing; the file is damaged, save it again",
    ),
    # -- finding the customer sheet -----------------------------------------------------------------------------
    "workbook.no_sheet": (
        "{path}：没有名为“{sheet}”的工作表；现有工作表：{sheets}",
        "{path}: no sheet named {sheet!r}; sheets: {sheets}",
    ),
    "where.one_sheet": ("工作表“{sheet}”", "sheet {sheet!r}"),
    "where.visible_sheets": ("任何可见工作表（{sheets}）", "any visible sheet ({sheets})"),
    "where.no_sheets": ("任何可见工作表（无）", "any visible sheet (none)"),
    "workbook.no_header": (
        "{path}：在{where}的前 {rows} 行中找不到表头行；表头需要包含 {names} 等列（或用 --sheet 指定工作表）",
        "{path}: no header row found in the first {rows} rows of {where}; "
        "the header needs columns such as {names} (or pick the sheet with --sheet)",
    ),
    "workbook.no_header_hidden": (
        "{path}：在{where}的前 {rows} 行中找不到表头行；表头需要包含 {names} 等列（或用 --sheet 指定工作表）；"
        "隐藏的工作表不会读取，除非指定：--sheet {hidden!r}",
        "{path}: no header row found in the first {rows} rows of {where}; "
        "the header needs columns such as {names} (or pick the sheet with --sheet); "
        "hidden sheets are not read unless named: --sheet {hidden!r}",
    ),
}
