package importers

// A small pull scanner of worksheet XML. encoding/xml reads one byte at a
// time and allocates for every token; on a 1,000,000-row worksheet (about
// 470 MB of XML) it costs most of the import. This scanner finds tags with
// bufio's ReadSlice, allocates nothing for markup, and decodes text (with
// its entities) only where the reader asks for it: inside <v> and <t>. It
// handles what worksheet XML holds: elements with namespace prefixes,
// attributes in either quotes (with '>' inside), self-closing tags,
// character and entity references, CDATA sections, comments and processing
// instructions, which it delimits as XML 1.0 does (a comment "<!-->" is not
// closed by its own '>'; "--" inside a comment is an error). A DOCTYPE is
// refused: workbook parts have none. It checks well-formedness only as far
// as it needs to read what a conforming parser reads; the differential fuzz
// test (FuzzXMLScanner) compares it with encoding/xml.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

const (
	evStart = iota + 1
	evEnd
	evText
)

// xmlEvent is one event of the scanner. Its slices are valid until the next call.
type xmlEvent struct {
	kind  int
	local []byte // element name without its prefix (start and end)
	attrs []byte // raw attributes of a start tag
	text  []byte // decoded character data (evText)
}

// maxTextKept bounds the text the scanner keeps for one element; Excel
// cells hold at most 32,767 characters.
const maxTextKept = 4 << 20

var errXMLSyntax = errors.New("XML syntax error")

type xmlScanner struct {
	br         *bufio.Reader
	tag        []byte // the current tag, accumulated
	text       []byte // the current text, decoded
	raw        []byte // undecoded text, accumulated
	pendingEnd bool   // a self-closing tag: its end event comes next
	endLocal   []byte
	started    bool
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{br: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next event. Text between tags is returned as an evText
// event only when keep is true (it is skipped otherwise, whatever its size).
func (s *xmlScanner) next(keep bool) (xmlEvent, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		return xmlEvent{kind: evEnd, local: s.endLocal}, nil
	}
	if !s.started {
		s.started = true
		if b, err := s.br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			s.br.Discard(3)
		}
	}
	for {
		// Text up to the next '<'.
		if keep {
			s.raw = s.raw[:0]
		}
		for {
			chunk, err := s.br.ReadSlice('<')
			if keep {
				if len(s.raw)+len(chunk) > maxTextKept {
					return xmlEvent{}, fmt.Errorf("%w: text longer than %d bytes", errXMLSyntax, maxTextKept)
				}
				s.raw = append(s.raw, chunk...)
			}
			if err == nil {
				break
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if keep && len(s.raw) > 0 { // text at the very end
					var derr error
					if s.text, derr = decodeXMLText(s.text[:0], s.raw); derr != nil {
						return xmlEvent{}, derr
					}
					s.raw = s.raw[:0]
					return xmlEvent{kind: evText, text: s.text}, nil
				}
				return xmlEvent{}, io.EOF
			}
			return xmlEvent{}, err
		}
		if keep {
			s.raw = s.raw[:len(s.raw)-1] // the '<'
			if len(s.raw) > 0 {
				var err error
				if s.text, err = decodeXMLText(s.text[:0], s.raw); err != nil {
					return xmlEvent{}, err
				}
				// The tag that follows is read on the next call.
				s.br.UnreadByte()
				return xmlEvent{kind: evText, text: s.text}, nil
			}
		}
		ev, cdata, err := s.readMarkup()
		if err != nil {
			return xmlEvent{}, err
		}
		if cdata != nil {
			if keep && len(cdata) > 0 {
				s.text = append(s.text[:0], cdata...)
				return xmlEvent{kind: evText, text: s.text}, nil
			}
			continue
		}
		if ev.kind != 0 {
			return ev, nil
		}
	}
}

// plainCell reads, when the input goes on with exactly "<v>TEXT</v></c>"
// or "<is><t>TEXT</t></is></c>" in what is buffered and TEXT is plain
// characters (no reference, carriage return, ']', '<' or control
// character), those events at once and returns TEXT (valid until the next
// call). Otherwise it reads nothing and returns false, and next reads the
// events one by one. What a worksheet's cells hold most is read in one
// step, with the same result.
func (s *xmlScanner) plainCell() ([]byte, bool) {
	if s.pendingEnd || !s.started {
		return nil, false
	}
	b, _ := s.br.Peek(min(s.br.Buffered(), 256))
	for _, shape := range [...][2]string{{"<v>", "</v></c>"}, {"<is><t>", "</t></is></c>"}} {
		open, end := shape[0], shape[1]
		if len(b) < len(open)+len(end) || string(b[:len(open)]) != open {
			continue
		}
		for i := len(open); i < len(b); i++ {
			switch c := b[i]; {
			case c == '<':
				if len(b)-i < len(end) || string(b[i:i+len(end)]) != end {
					return nil, false
				}
				text := b[len(open):i]
				s.br.Discard(i + len(end))
				return text, true
			case c == '&' || c == ']' || c < 0x20 && c != '\t' && c != '\n':
				return nil, false
			}
		}
		return nil, false
	}
	return nil, false
}

// readMarkup reads what follows a '<': a tag (returned), or a comment, PI
// or DOCTYPE (skipped: kind 0), or a CDATA section (its text returned).
func (s *xmlScanner) readMarkup() (xmlEvent, []byte, error) {
	first, err := s.br.Peek(1)
	if err != nil {
		return xmlEvent{}, nil, endErr(err, "unexpected end after '<'")
	}
	switch first[0] {
	case '?':
		// A processing instruction: <?target ...?>. Its end "?>" comes
		// after the target name: "<?>" does not end it.
		s.br.Discard(1)
		if c, err := s.br.Peek(1); err != nil || !isNameStart(c[0]) {
			return xmlEvent{}, nil, fmt.Errorf("%w: expected a target name after <?", errXMLSyntax)
		}
		return xmlEvent{}, nil, s.readUntil("?>")
	case '!':
		head, _ := s.br.Peek(8)
		switch {
		case bytes.HasPrefix(head, []byte("!--")):
			// A comment: <!-- ... -->. Its end comes after the opening
			// "<!--" ("<!-->" and "<!--->" do not end it), and "--" may
			// appear in it only as part of its end (XML 1.0, production 15).
			s.br.Discard(3)
			if err := s.readUntil("--"); err != nil {
				return xmlEvent{}, nil, err
			}
			if b, err := s.br.ReadByte(); err != nil || b != '>' {
				return xmlEvent{}, nil, fmt.Errorf("%w: \"--\" inside a comment (a comment ends with -->)", errXMLSyntax)
			}
			return xmlEvent{}, nil, nil
		case bytes.HasPrefix(head, []byte("![CDATA[")):
			s.br.Discard(8)
			if err := s.readUntil("]]>"); err != nil {
				return xmlEvent{}, nil, err
			}
			return xmlEvent{}, s.tag[:len(s.tag)-3], nil
		default:
			// <!DOCTYPE ...> and other declarations: the parts of a
			// workbook never have them (ECMA-376 Part 2 forbids DTDs), and
			// a DTD's entities could make a reader see other text than
			// Excel does. Refused rather than skipped.
			return xmlEvent{}, nil, fmt.Errorf("%w: a <!DOCTYPE or other <! declaration, which workbook parts must not have", errXMLSyntax)
		}
	}
	// A tag: read to the '>' that is outside quotes.
	s.tag = s.tag[:0]
	var quote byte
	for {
		chunk, err := s.br.ReadSlice('>')
		if len(s.tag)+len(chunk) > maxTextKept {
			return xmlEvent{}, nil, fmt.Errorf("%w: tag longer than %d bytes", errXMLSyntax, maxTextKept)
		}
		start := len(s.tag)
		s.tag = append(s.tag, chunk...)
		if err == bufio.ErrBufferFull {
			quote = quoteState(s.tag[start:], quote)
			continue
		}
		if err != nil {
			return xmlEvent{}, nil, endErr(err, "unexpected end inside a tag")
		}
		quote = quoteState(s.tag[start:len(s.tag)-1], quote)
		if quote == 0 {
			break
		}
	}
	t := s.tag[:len(s.tag)-1] // without '>'
	if len(t) > 0 && t[0] == '/' {
		name := t[1:]
		for len(name) > 0 && isXMLSpace(name[len(name)-1]) { // bytes.TrimRight, without its cutset
			name = name[:len(name)-1]
		}
		if len(name) == 0 {
			return xmlEvent{}, nil, fmt.Errorf("%w: empty end tag", errXMLSyntax)
		}
		return xmlEvent{kind: evEnd, local: localName(name)}, nil, nil
	}
	self := len(t) > 0 && t[len(t)-1] == '/'
	if self {
		t = t[:len(t)-1]
	}
	n := 0
	for n < len(t) && !isXMLSpace(t[n]) {
		n++
	}
	if n == 0 {
		return xmlEvent{}, nil, fmt.Errorf("%w: tag without a name", errXMLSyntax)
	}
	ev := xmlEvent{kind: evStart, local: localName(t[:n]), attrs: t[n:]}
	if self {
		s.pendingEnd, s.endLocal = true, ev.local
	}
	return ev, nil, nil
}

// quoteState runs through b from the quote state q (0: outside quotes)
// and returns the state at its end.
func quoteState(b []byte, q byte) byte {
	for _, c := range b {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		}
	}
	return q
}

// readUntil reads input up to and including end into s.tag.
func (s *xmlScanner) readUntil(end string) error {
	s.tag = s.tag[:0]
	last := end[len(end)-1]
	for {
		chunk, err := s.br.ReadSlice(last)
		if len(s.tag)+len(chunk) > maxTextKept {
			return fmt.Errorf("%w: section longer than %d bytes", errXMLSyntax, maxTextKept)
		}
		s.tag = append(s.tag, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return endErr(err, "unexpected end, expected "+end)
		}
		if bytes.HasSuffix(s.tag, []byte(end)) {
			return nil
		}
	}
}

// isNameStart reports whether c can start an XML name: a letter, '_',
// ':' or the first byte of a non-ASCII character.
func isNameStart(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':' || c >= 0x80
}

// endErr is the error for input that stopped where more was expected:
// a syntax error at the end of the input, or the reader's own error (a
// damaged zip entry, the unzip limit) as it is.
func endErr(err error, what string) error {
	if err == io.EOF {
		return fmt.Errorf("%w: %s", errXMLSyntax, what)
	}
	return err
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// localName drops the prefix of name (up to its first colon), as
// encoding/xml does: a colon first or last is part of the name.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 1 && i <= len(name)-2 {
		return name[i+1:]
	}
	return name
}

// attrValue returns the raw value of the attribute whose local name is
// want, or nil. Values of the attributes read here (r, s, t) hold no
// entity references or carriage returns in practice; decodeXMLText is
// applied when they do (a "\r" reads as "\n", as XML's end-of-line
// handling and encoding/xml have it).
func attrValue(attrs []byte, want string) []byte {
	var v []byte
	eachAttr(attrs, func(name, val []byte) bool {
		if string(name) == want {
			v = val
			return false
		}
		return true
	})
	return v
}

// cellAttrs reads the attributes r, s and t of a cell's tag in one pass
// over attrs, each as attrValue reads it.
func cellAttrs(attrs []byte) (r, s, t []byte) {
	eachAttr(attrs, func(name, val []byte) bool {
		switch {
		case len(name) != 1:
		case name[0] == 'r' && r == nil:
			r = val
		case name[0] == 's' && s == nil:
			s = val
		case name[0] == 't' && t == nil:
			t = val
		}
		return true
	})
	return r, s, t
}

// eachAttr calls fn with the local name and the value of each attribute
// of attrs in turn (a value with references or carriage returns decoded,
// never nil) until fn returns false; it stops at the first attribute that
// is not name="value" or name='value'.
func eachAttr(attrs []byte, fn func(name, val []byte) bool) {
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		ns := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		name := attrs[ns:i]
		for i < len(attrs) && (isXMLSpace(attrs[i]) || attrs[i] == '=') {
			i++
		}
		if i >= len(attrs) {
			return
		}
		q := attrs[i]
		if q != '"' && q != '\'' {
			return
		}
		i++
		vs := i
		for i < len(attrs) && attrs[i] != q {
			i++
		}
		val := attrs[vs:min(i, len(attrs))]
		i++
		if bytes.IndexByte(val, '&') >= 0 || bytes.IndexByte(val, '\r') >= 0 {
			if d, err := decodeXMLText(nil, val); err == nil {
				val = d
			}
		}
		if !fn(localName(name), val) {
			return
		}
	}
}

// decodeXMLText appends raw with its character and entity references
// decoded, and "\r\n" and lone "\r" turned into "\n", to dst.
func decodeXMLText(dst, raw []byte) ([]byte, error) {
	if bytes.Contains(raw, []byte("]]>")) {
		return dst, fmt.Errorf("%w: \"]]>\" in text outside a CDATA section", errXMLSyntax)
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			end := bytes.IndexByte(raw[i:], ';')
			if end < 0 {
				return dst, fmt.Errorf("%w: unterminated entity reference", errXMLSyntax)
			}
			ent := raw[i+1 : i+end]
			switch string(ent) {
			case "lt":
				dst = append(dst, '<')
			case "gt":
				dst = append(dst, '>')
			case "amp":
				dst = append(dst, '&')
			case "quot":
				dst = append(dst, '"')
			case "apos":
				dst = append(dst, '\'')
			default:
				if len(ent) < 2 || ent[0] != '#' {
					return dst, fmt.Errorf("%w: unknown entity &%s;", errXMLSyntax, ent)
				}
				var n uint64
				var err error
				if ent[1] == 'x' {
					n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
				} else {
					n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
				}
				if err != nil || !validXMLChar(rune(n)) {
					return dst, fmt.Errorf("%w: invalid character reference &%s;", errXMLSyntax, ent)
				}
				dst = utf8.AppendRune(dst, rune(n))
			}
			i += end
		default:
			if c < 0x20 && c != '\t' && c != '\n' {
				// XML 1.0 allows no control character but tab, newline
				// and carriage return (Excel refuses such a file).
				return dst, fmt.Errorf("%w: character U+%04X is not allowed in XML text", errXMLSyntax, c)
			}
			dst = append(dst, c)
		}
	}
	return dst, nil
}

func validXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
