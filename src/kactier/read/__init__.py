"""Reading: the file's format by content, zip and sheet safety checks, the xlsx/csv/legacy/encrypted readers and the header row.

An input is opened once (``opening``): its format sniffed from its bytes (``sniff``), decrypted (``crypto``), its zip
package checked (``package``, ``zip_parts``, ``long_text``) or, for .xls/.xlsb/.ods, parsed first in a child process
(``legacy``). Each sheet is checked before calamine parses it (``sheet_scan``, with ``sheet_extent``,
``sheet_exact``, ``sheet_details``, ``sheet_facts``, ``sheet_xml``; the limits in ``limits``). The customer sheet is
then chosen and read (``workbook``): its header row (``header``), its rows (``rows``, or ``csvfile`` for CSV), tidied
(``tidy``) into a ``RawSheet`` (``cells``).
"""
