package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
)

// flagWords are the flags that set the options the importers' messages
// advise: the importers name an option in plain words ("the decimal comma
// option"), the command line by its flag.
var flagWords = importers.OptionWords{
	importers.OptDecimalComma: "--decimal-comma",
	importers.OptActivity:     "--activity",
	importers.OptCode:         "--code",
	importers.OptTitle:        "--title",
	importers.OptStart:        "--start",
	importers.OptEnd:          "--end",
}

// flagAdvice rewrites the engine's errors that advise the user in words of
// the command line: which flag or command to use.
func flagAdvice(err error) error {
	var nl *engine.NeverLockedError
	var ur *engine.UnknownResponsibleError
	switch {
	case errors.As(err, &nl):
		return fmt.Errorf("period %s was never locked, so it has no report as reported: lock it when its report goes out (rmf lock --period %s --reason TEXT), or ask for the report of a day with --as-of DATE", nl.Period, nl.Period)
	case errors.As(err, &ur):
		return fmt.Errorf("--responsible %q: no indicator of the framework names it; the framework names: %s", ur.Responsible, strings.Join(ur.Known, "; "))
	}
	return err
}
