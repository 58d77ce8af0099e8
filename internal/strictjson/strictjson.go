// Package strictjson is a strict, single-pass JSON validator and splitter for
// security-sensitive inputs: JOSE headers and JWT claim sets (request objects,
// client assertions, DPoP proofs) and the OpenID Connect "claims" request
// parameter.
//
// # Why not encoding/json
//
// encoding/json is deliberately lenient, and each leniency is a parser
// differential an attacker can exploit when two components (for example a
// signature verifier and a policy engine) read the same bytes differently:
//
//   - It accepts duplicate object member names and silently keeps the last
//     one, so {"sub":"alice","sub":"admin"} can mean different things to
//     different parsers. RFC 7515 §4 and RFC 7519 §4 require Header Parameter
//     and Claim Names to be unique and let parsers either reject duplicates or
//     keep the lexically last one; only rejection is safe when more than one
//     component parses the same bytes, so this package always rejects, in
//     every object at every depth (RFC 8259 §4 already says names SHOULD be
//     unique).
//   - It replaces invalid UTF-8 and unpaired surrogate escapes with U+FFFD
//     instead of failing, so distinct byte strings can decode to the same
//     value. RFC 8259 §8.1 requires UTF-8 for JSON exchanged between systems,
//     RFC 7519 §7.2 requires both the JOSE Header and the JWT Claims Set to
//     be "a UTF-8-encoded representation of a completely valid JSON object",
//     and RFC 8725 (JWT Best Current Practices) §3.7 forbids admitting any
//     other encoding.
//   - Its only nesting bound is a large internal limit, which is far more than
//     any legitimate header, claim set or claims request needs.
//
// This package accepts exactly the RFC 8259 grammar and additionally rejects:
// invalid UTF-8 anywhere in the input, a UTF-8 byte order mark, string escapes
// that encode an unpaired UTF-16 surrogate, duplicate member names (compared
// after unescaping, in every object at every depth), and inputs exceeding the
// configured [Limits]. Any non-nil error returned by this package means the
// input must be rejected.
//
// Member names are compared as exact sequences of Unicode code points after
// unescaping, with no case folding or normalisation (RFC 8259 §8.3), so
// {"sub":1,"Sub":2} is accepted. Callers must therefore read values through
// [ParseObject] and [Lookup] with exact names, and must not re-decode a
// validated input with encoding/json into structs: its case-insensitive field
// matching would reintroduce exactly the ambiguity rejected here. Numbers are
// checked against the grammar only; their magnitude is not limited, so use
// [DecodeInt64] to obtain an integer.
//
// The validator is a hand-written byte scanner: one pass, O(n) time, no
// reflection, an explicit stack instead of recursion, and no allocations
// beyond the returned members and their names in the common case.
package strictjson

import (
	"strconv"
	"sync"
	"unicode/utf8"
)

// Kind is the JSON type of a value.
type Kind uint8

// The JSON value kinds. The zero Kind is not a valid kind.
const (
	// Null is the JSON literal null.
	Null Kind = iota + 1
	// Bool is the JSON literal true or false.
	Bool
	// Number is a JSON number.
	Number
	// String is a JSON string.
	String
	// Array is a JSON array.
	Array
	// Object is a JSON object.
	Object
)

// String returns the JSON name of the kind: "null", "boolean", "number",
// "string", "array" or "object".
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "strictjson.Kind(" + strconv.Itoa(int(k)) + ")"
}

// Member is one member of a JSON object: its decoded (unescaped) name, the
// kind of its value, and the JSON text of the value. Raw is a sub-slice of the
// input passed to [ParseObject], not a copy, with surrounding whitespace
// trimmed; callers must not modify it. Text holds the same bytes as a string.
//
// ParseObject copies its input into one string and takes every Text, and
// every Name without escapes, from it, so that names, texts and the values of
// [Member.StringValue] share one allocation per object (a name with escapes
// gets a string of its own). The copy stays alive as long as any of them.
type Member struct {
	// Name is the member name with all escapes decoded.
	Name string
	// Kind is the JSON type of the member's value.
	Kind Kind
	// Raw is the exact JSON text of the value, without surrounding whitespace.
	Raw []byte
	// Text is Raw as a string.
	Text string
}

// Default limits, used when the corresponding [Limits] field is zero or
// negative.
const (
	// DefaultMaxDepth is the default maximum nesting depth of arrays and
	// objects.
	DefaultMaxDepth = 32
	// DefaultMaxMembers is the default maximum number of members in a single
	// object.
	DefaultMaxMembers = 1000
)

// Limits bound the work done on untrusted input. A zero or negative field
// selects the corresponding default; there is no way to disable a limit.
type Limits struct {
	// MaxDepth is the maximum nesting depth of arrays and objects. The
	// top-level object or array is at depth 1; a scalar at the top level is
	// at depth 0. Zero (or negative) means DefaultMaxDepth.
	MaxDepth int
	// MaxMembers is the maximum number of members in any single object.
	// Arrays are not limited by it. Zero (or negative) means
	// DefaultMaxMembers.
	MaxMembers int
}

func (l Limits) depth() int {
	if l.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return l.MaxDepth
}

func (l Limits) members() int {
	if l.MaxMembers <= 0 {
		return DefaultMaxMembers
	}
	return l.MaxMembers
}

// ParseObject validates that data is exactly one JSON object (RFC 8259),
// surrounded only by optional JSON whitespace, and returns its top-level
// members in document order.
//
// It rejects syntax errors of any kind (including trailing commas, comments,
// single quotes, NaN and Infinity, leading zeros, leading '+' or '.', a
// trailing '.', unescaped control characters and invalid or unpaired
// surrogate escapes in strings), invalid UTF-8 anywhere in data, a UTF-8 byte
// order mark, a top-level value that is not an object, trailing data after the
// object, and duplicate member names in any object at any depth (compared
// after unescaping). Those errors are of type *[SyntaxError] and match
// [ErrInvalid] with errors.Is. Nesting deeper than lim.MaxDepth and objects
// with more than lim.MaxMembers members are rejected with a *[SyntaxError]
// that matches [ErrTooComplex] instead.
//
// The Raw field of every returned Member aliases data.
func ParseObject(data []byte, lim Limits) ([]Member, error) {
	p := getParser(data, lim)
	defer putParser(p)
	if err := p.start(); err != nil {
		return nil, err
	}
	if p.data[p.pos] != '{' {
		return nil, p.fail(p.pos, reasonTopLevelNotObject)
	}
	p.collect = true
	err := p.run()
	if err == nil {
		err = p.finish()
	}
	if err != nil {
		return nil, err
	}
	return p.collected(), nil
}

// Validate checks that data is exactly one JSON value of any kind, surrounded
// only by optional JSON whitespace, with the same strictness and limits as
// [ParseObject]. It is intended for inputs such as the OpenID Connect "claims"
// request parameter.
func Validate(data []byte, lim Limits) error {
	p := getParser(data, lim)
	defer putParser(p)
	if err := p.start(); err != nil {
		return err
	}
	if err := p.run(); err != nil {
		return err
	}
	return p.finish()
}

// Lookup returns the first member of members whose Name equals name, using a
// linear scan. Members returned by [ParseObject] have unique names.
func Lookup(members []Member, name string) (Member, bool) {
	for i := range members {
		if members[i].Name == name {
			return members[i], true
		}
	}
	return Member{}, false
}

// nameRef locates a decoded member name: data[start:end] when the name has no
// escapes, otherwise arena[start:end] (the unescaped copy). For a member of
// the top-level object whose value has been read, data[value:valueEnd] is
// the value. It holds offsets, not slices, so that the pooled parser keeps
// no reference to the caller's data.
type nameRef struct {
	start, end      int
	value, valueEnd int
	key             uint32 // nameKey of the name
	inArena         bool
}

// nameKey packs a name's length and first and last bytes: names with
// different keys differ, so the duplicate check compares bytes only when
// the keys are equal.
func nameKey(name []byte) uint32 {
	if len(name) == 0 {
		return 0
	}
	return uint32(len(name))<<16 | uint32(name[0])<<8 | uint32(name[len(name)-1])
}

// frame is one open array or object on the explicit parse stack.
type frame struct {
	obj       bool
	count     int                 // members (objects) seen so far
	nameBase  int                 // index in parser.names of this object's first name
	arenaBase int                 // len(parser.arena) when this object was opened
	set       map[string]struct{} // name set once the object has many members
}

// linearNames is the number of members up to which duplicate detection uses a
// linear scan; larger objects switch to a map.
const linearNames = 16

type parser struct {
	data       []byte
	pos        int
	maxDepth   int
	maxMembers int

	frames []frame
	names  []nameRef
	arena  []byte

	collect  bool // record the top-level object's members
	nMembers int  // top-level members whose value has been read
	valStart int
}

// parserPool recycles the parse stacks, so that validating a typical input
// allocates nothing but the results.
var parserPool = sync.Pool{New: func() any {
	return &parser{
		frames: make([]frame, 0, 8),
		names:  make([]nameRef, 0, 32),
	}
}}

// Buffers that grew beyond these capacities are not kept in the pool.
const (
	maxPooledFrames = 64
	maxPooledNames  = 1024
	maxPooledArena  = 4096
)

func getParser(data []byte, lim Limits) *parser {
	p := parserPool.Get().(*parser)
	p.data = data
	p.maxDepth = lim.depth()
	p.maxMembers = lim.members()
	return p
}

func putParser(p *parser) {
	if cap(p.frames) > maxPooledFrames || cap(p.names) > maxPooledNames || cap(p.arena) > maxPooledArena {
		return
	}
	// Frames left open by an error may still hold name sets. Names are
	// offsets: nothing else refers to the caller's data.
	clear(p.frames)
	*p = parser{frames: p.frames[:0], names: p.names[:0], arena: p.arena[:0]}
	parserPool.Put(p)
}

// start rejects a byte order mark and positions p at the first value byte.
func (p *parser) start() error {
	if len(p.data) >= 3 && p.data[0] == 0xEF && p.data[1] == 0xBB && p.data[2] == 0xBF {
		return p.fail(0, reasonBOM)
	}
	p.skipWS()
	if p.pos >= len(p.data) {
		return p.fail(p.pos, reasonEOF)
	}
	return nil
}

// finish rejects anything but whitespace after the top-level value.
func (p *parser) finish() error {
	p.skipWS()
	if p.pos < len(p.data) {
		return p.fail(p.pos, reasonTrailingData)
	}
	return nil
}

func (p *parser) fail(off int, reason string) error {
	return &SyntaxError{Offset: off, Reason: reason}
}

func (p *parser) failLimit(off int, reason string) error {
	return &SyntaxError{Offset: off, Reason: reason, tooComplex: true}
}

// failAt reports a problem with the byte at off, distinguishing invalid UTF-8
// and premature end of input from other unexpected characters.
func (p *parser) failAt(off int, reason string) error {
	return &SyntaxError{Offset: off, Reason: unexpectedReason(p.data, off, reason)}
}

func (p *parser) skipWS() { p.pos = skipWS(p.data, p.pos) }

func (p *parser) push(obj bool) error {
	if len(p.frames) >= p.maxDepth {
		return p.failLimit(p.pos, reasonTooDeep)
	}
	p.frames = append(p.frames, frame{
		obj:       obj,
		nameBase:  len(p.names),
		arenaBase: len(p.arena),
	})
	return nil
}

func (p *parser) pop() {
	n := len(p.frames) - 1
	f := &p.frames[n]
	if n > 0 {
		// The outermost frame's names are kept for ParseObject's result.
		p.names = p.names[:f.nameBase]
		p.arena = p.arena[:f.arenaBase]
	}
	f.set = nil
	p.frames = p.frames[:n]
}

// run parses one complete JSON value starting at p.pos, which must be a
// non-whitespace byte inside data.
func (p *parser) run() error {
	d := p.data
	for {
		// Parse the start of a value.
		p.skipWS()
		if p.pos >= len(d) {
			return p.fail(p.pos, reasonEOF)
		}
		if p.collect && len(p.frames) == 1 {
			p.valStart = p.pos
		}
		switch c := d[p.pos]; c {
		case '{':
			if err := p.push(true); err != nil {
				return err
			}
			p.pos++
			p.skipWS()
			if p.pos < len(d) && d[p.pos] == '}' {
				p.pos++
				p.pop()
				break // an empty object is a complete value
			}
			if err := p.member(); err != nil {
				return err
			}
			continue // parse the member's value
		case '[':
			if err := p.push(false); err != nil {
				return err
			}
			p.pos++
			p.skipWS()
			if p.pos < len(d) && d[p.pos] == ']' {
				p.pos++
				p.pop()
				break // an empty array is a complete value
			}
			continue // parse the first element
		case '"':
			end, _, err := scanString(d, p.pos)
			if err != nil {
				return err
			}
			p.pos = end
		case 't':
			if err := p.literal("true"); err != nil {
				return err
			}
		case 'f':
			if err := p.literal("false"); err != nil {
				return err
			}
		case 'n':
			if err := p.literal("null"); err != nil {
				return err
			}
		case ']':
			if n := len(p.frames); n > 0 && !p.frames[n-1].obj {
				return p.fail(p.pos, reasonTrailingCommaArray)
			}
			return p.failAt(p.pos, reasonExpectedValue)
		default:
			if c == '-' || (c >= '0' && c <= '9') {
				end, err := scanNumber(d, p.pos)
				if err != nil {
					return err
				}
				p.pos = end
				break
			}
			return p.failAt(p.pos, reasonExpectedValue)
		}

		// A value has just ended at p.pos. Close containers until one
		// expects another element.
		for {
			n := len(p.frames)
			if n == 0 {
				return nil
			}
			if p.collect && n == 1 {
				p.addMember()
			}
			p.skipWS()
			if p.pos >= len(d) {
				return p.fail(p.pos, reasonEOF)
			}
			f := &p.frames[n-1]
			c := d[p.pos]
			if c == ',' {
				p.pos++
				if f.obj {
					p.skipWS()
					if err := p.member(); err != nil {
						return err
					}
				}
				break // parse the next value
			}
			if f.obj && c == '}' || !f.obj && c == ']' {
				p.pos++
				p.pop()
				continue
			}
			if f.obj {
				return p.failAt(p.pos, reasonExpectedCommaOrBrace)
			}
			return p.failAt(p.pos, reasonExpectedCommaOrBracket)
		}
	}
}

func (p *parser) literal(lit string) error {
	d := p.data[p.pos:]
	for i := 0; i < len(lit); i++ {
		if i >= len(d) {
			return p.fail(p.pos+i, reasonEOF)
		}
		if d[i] != lit[i] {
			return p.failAt(p.pos+i, reasonInvalidLiteral)
		}
	}
	p.pos += len(lit)
	return nil
}

// member parses an object member name at p.pos (whitespace already skipped),
// checks it against the other names of the innermost object, and consumes
// the following colon.
func (p *parser) member() error {
	d := p.data
	f := &p.frames[len(p.frames)-1]
	if p.pos >= len(d) {
		return p.fail(p.pos, reasonEOF)
	}
	if d[p.pos] != '"' {
		if d[p.pos] == '}' && f.count > 0 {
			return p.fail(p.pos, reasonTrailingCommaObject)
		}
		return p.failAt(p.pos, reasonExpectedName)
	}
	if f.count >= p.maxMembers {
		return p.failLimit(p.pos, reasonTooManyMembers)
	}
	start := p.pos
	end, esc, err := scanString(d, start)
	if err != nil {
		return err
	}
	ref := nameRef{start: start + 1, end: end - 1}
	if esc {
		ab := len(p.arena)
		p.arena = unescape(p.arena, d[start+1:end-1])
		ref = nameRef{start: ab, end: len(p.arena), inArena: true}
	}
	name := p.name(ref)
	ref.key = nameKey(name)
	if f.set != nil {
		if _, dup := f.set[string(name)]; dup {
			return p.fail(start, reasonDuplicateName)
		}
		f.set[string(name)] = struct{}{}
	} else {
		names := p.names[f.nameBase:]
		for i := range names {
			if names[i].key == ref.key && string(p.name(names[i])) == string(name) {
				return p.fail(start, reasonDuplicateName)
			}
		}
		if f.count+1 >= linearNames {
			f.set = make(map[string]struct{}, 2*linearNames)
			for _, r := range p.names[f.nameBase:] {
				f.set[string(p.name(r))] = struct{}{}
			}
			f.set[string(name)] = struct{}{}
		}
	}
	p.names = append(p.names, ref)
	f.count++

	p.pos = end
	p.skipWS()
	if p.pos >= len(d) {
		return p.fail(p.pos, reasonEOF)
	}
	if d[p.pos] != ':' {
		return p.failAt(p.pos, reasonExpectedColon)
	}
	p.pos++
	return nil
}

func (p *parser) name(r nameRef) []byte {
	if r.inArena {
		return p.arena[r.start:r.end]
	}
	return p.data[r.start:r.end]
}

// addMember records the value that just ended at p.pos as the value of the
// latest top-level member, whose name is the latest top-level name.
func (p *parser) addMember() {
	r := &p.names[p.nMembers]
	r.value, r.valueEnd = p.valStart, p.pos
	p.nMembers++
}

// collected returns the top-level members, their names and texts taken from
// one string copy of the input; only names with escapes need a string of
// their own.
func (p *parser) collected() []Member {
	members := make([]Member, p.nMembers)
	if p.nMembers == 0 {
		return members
	}
	text := string(p.data)
	for i, r := range p.names[:p.nMembers] {
		m := &members[i]
		if r.inArena {
			m.Name = string(p.arena[r.start:r.end])
		} else {
			m.Name = text[r.start:r.end]
		}
		m.Kind = kindOf(p.data[r.value])
		m.Raw = p.data[r.value:r.valueEnd:r.valueEnd]
		m.Text = text[r.value:r.valueEnd]
	}
	return members
}

func kindOf(c byte) Kind {
	switch c {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Bool
	case 'n':
		return Null
	}
	return Number
}

// unexpectedReason refines reason for the byte at off: premature end of input
// and bytes that do not start valid UTF-8 get their own reasons.
func unexpectedReason(data []byte, off int, reason string) string {
	if off >= len(data) {
		return reasonEOF
	}
	if c := data[off]; c >= utf8.RuneSelf {
		if r, size := utf8.DecodeRune(data[off:]); r == utf8.RuneError && size <= 1 {
			return reasonInvalidUTF8
		}
	}
	return reason
}
