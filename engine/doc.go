// Package engine is rmf's application layer: the use cases that the
// command line (cmd/rmf) and the web server both call, over a store behind
// a port.
//
// An Engine is made with New over a Store (the port, defined in store.go;
// package sqlite implements it). Its methods are the use cases: import
// files (ImportFile, with a dry run), build the report of a period
// (Report: follow-up, missing reports, efficiency and the review section
// built in, now or as of a past moment), the donor workbook
// (DonorWorkbook) and the IATI activity (IATI), check (Check), figure
// history (FigureHistory), the review cycle (Approve, Return, LockPeriod,
// UnlockPeriod, Log), the framework (ReadFramework, ImportFramework,
// ReadIATIFramework, ImportIATIFigures) and the follow-up of evaluations
// (ImportActions, KeyActions, Action, UpdateAction, FollowUp), and the
// listings (Imports, Expenditures, FrameworkVersions, Template). Each takes
// a context.Context and returns data, or an error naming the file, sheet
// and cell (or the figure) at fault; none prints. An argument that cannot
// be read (a period's spelling) is an *ArgError.
//
// The Store's methods are each one transaction. The suite of package
// engine/storetest runs these use cases over any Store: an adapter runs it
// by giving one constructor.
//
// rmf serve's users, sessions and uploaders are behind a second small port,
// Users, which a store implements beside Store (package sqlite does); the
// Engine finds it on its store. Engine.Site is the web server's view: its
// pages' use cases, over the same methods as the command line, with the
// framework and reports cached per state of the store (Users.Stamp).
//
// Callers never reach the Store through the Engine: what they need is a
// use case.
package engine
