"""What a unit enters: typed parsing of values, their stored form, and the Excel entry workbook."""
