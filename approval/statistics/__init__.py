"""The office's statistics, targets and the monthly 通报 (pages, charts, .xlsx/.docx export)."""
