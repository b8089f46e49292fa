// Package importers reads files into the domain of package indicators:
// frameworks (rmf's .xlsx and .yaml, IATI activity .xml, DFID/FCDO
// logframes and flat IATI results rows), measurement and expenditure
// workbooks (.xlsx streamed from the zip by our own scanner, .csv) and
// management response matrices. Every problem is a positioned error
// (file, sheet, cell; or line and element) and a file with any problem
// yields nothing. Figures go to an indicators.MeasurementSink as they are
// read, so that a large workbook is never held in memory.
package importers
