"""Every label and message kactier shows, in Chinese and English."""
