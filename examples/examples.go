// Package examples holds the example project of rmf (a four-year project on
// internal migration in Mongolia): its framework as YAML and as a workbook,
// and whatever data files sit next to them. The files are embedded so that
// "rmf demo" works from any folder.
package examples

import (
	"embed"
	"io/fs"
)

//go:embed *
var files embed.FS

// FS returns the example files, rooted at the examples folder
// ("framework.yaml", "framework.xlsx", ...).
func FS() fs.FS { return files }

// FrameworkYAML is the name of the example framework in YAML.
const FrameworkYAML = "framework.yaml"

// FrameworkPreReviewYAML is the name of the example's logframe as agreed at
// the start of the project, before the mid-term review revised it into
// FrameworkYAML (rmf demo imports both, in that order).
const FrameworkPreReviewYAML = "framework-2019.yaml"

// FrameworkXLSX is the name of the same framework as a workbook.
const FrameworkXLSX = "framework.xlsx"
