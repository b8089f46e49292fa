package indicators

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// excelMaxSerial is 9999-12-31 in Excel's 1900 date system.
const excelMaxSerial = 2958465

// excel1904Offset is how many days the 1904 date system's serials lag the
// 1900 system's: serial 0 of 1904 (1904-01-01) is serial 1462 of 1900.
const excel1904Offset = 1462

// DateFromExcelSerial converts an Excel serial date to a day at midnight
// UTC; it is the one converter of Excel serials (the importers read date
// cells with it). The fraction (time of day) is ignored.
//
// In the 1900 date system (date1904 false, Excel's default) 1 is
// 1900-01-01; Excel counts a 29 February 1900 that never existed (serial
// 60), so serials from 61 on are one day ahead of a plain count: 59 is
// 1900-02-28, 61 is 1900-03-01, 45658 is 2025-01-01. Serial 60 and serials
// below 1 or above 2958465 (9999-12-31) are errors.
//
// In the 1904 date system (date1904 true: a workbook whose
// xl/workbook.xml says <workbookPr date1904="1"/>, as Excel for Mac may
// save it) 0 is 1904-01-01 and 44196 is 2025-01-01; serials below 0 or
// above 2957003 (9999-12-31) are errors.
func DateFromExcelSerial(f float64, date1904 bool) (time.Time, error) {
	if reason := excelSerialProblem(f, date1904); reason != "" {
		return time.Time{}, &pdError{what: "Excel date serial", seen: strconv.FormatFloat(f, 'g', -1, 64), reason: reason}
	}
	n := int(math.Floor(f))
	switch {
	case date1904:
		return pdDate(1904, 1, 1+n), nil
	case n < 60:
		return pdDate(1899, 12, 31+n), nil
	}
	return pdDate(1899, 12, 30+n), nil
}

// excelSerialProblem says why f is not a usable Excel serial date, or "".
func excelSerialProblem(f float64, date1904 bool) string {
	if date1904 {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f >= excelMaxSerial-excel1904Offset+1 {
			return fmt.Sprintf("expected a number from 0 (1904-01-01) to %d (9999-12-31) in a workbook that counts dates from 1904", excelMaxSerial-excel1904Offset)
		}
		return ""
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 1 || f >= excelMaxSerial+1 {
		return fmt.Sprintf("expected a number from 1 (1900-01-01) to %d (9999-12-31)", excelMaxSerial)
	}
	if math.Floor(f) == 60 {
		return "serial 60 is 29 February 1900, a day that does not exist (Excel's 1900 leap-year bug)"
	}
	return ""
}

// PeriodFromExcelSerial returns the day of an Excel serial date; see
// DateFromExcelSerial.
func PeriodFromExcelSerial(f float64, date1904 bool) (Period, error) {
	t, err := DateFromExcelSerial(f, date1904)
	if err != nil {
		return Period{}, err
	}
	return Day(t), nil
}
