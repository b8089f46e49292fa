package importers

// OptionWords says how the user of a program sets the options that the
// importers' messages advise, keyed by the option's plain name
// (OptDecimalComma, OptActivity, OptCode, OptTitle, OptStart, OptEnd):
// cmd/rmf maps them to its flags ("--decimal-comma"), so that its messages
// name them while the importers know nothing of a command line. A missing
// key (or a nil map) reads as "the NAME option".
type OptionWords map[string]string

// Options of an import that messages may advise.
const (
	OptDecimalComma = "decimal comma" // MeasurementOptions.DecimalComma
	OptActivity     = "activity"      // FrameworkOptions.Activity
	OptCode         = "code"          // FrameworkOptions.Code
	OptTitle        = "title"         // FrameworkOptions.Title
	OptStart        = "start"         // FrameworkOptions.Start
	OptEnd          = "end"           // FrameworkOptions.End
)

// Say names option in w's words; arg, when not empty, is the kind of value
// it takes ("CODE"), written after the caller's words ("--code CODE") and
// left out of the library's ("the code option").
func (w OptionWords) Say(option, arg string) string {
	s, ok := w[option]
	if !ok {
		return "the " + option + " option"
	}
	if arg != "" {
		s += " " + arg
	}
	return s
}
