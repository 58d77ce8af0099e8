package casefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

func utf8Valid(b []byte) bool { return utf8.Valid(b) }

func ioLimit(r io.Reader, n int64) io.Reader { return io.LimitReader(r, n) }

// fieldOf returns the JSON path of the member an error is about.
func fieldOf(top string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return top + "." + te.Field
	}
	return top
}

// describeJSONError rewrites encoding/json errors into one clear sentence
// with a line and column for syntax errors.
func describeJSONError(data []byte, err error, top string) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		return fmt.Errorf("expected %s, got JSON %s", typeName(te.Type.String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("invalid JSON: unexpected end of input")
	}
	return err
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func typeName(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "fapi.Seconds":
		return "a number"
	case "time.Time":
		return "an RFC 3339 time"
	}
	if len(goType) > 2 && goType[:2] == "[]" {
		return "an array"
	}
	if strings.HasPrefix(goType, "casefile.") || strings.HasPrefix(goType, "*casefile.") {
		return "an object" // a wire shape: its Go name means nothing to the reader
	}
	return "an object (" + goType + ")"
}
