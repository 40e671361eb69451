//! Java's regular expressions (`java.util.regex.Pattern`), translated to ECMA-262.
//!
//! Smithy says `@pattern` is ECMA-262, but Smithy's own validator compiles patterns with Java, so
//! published models carry patterns that only Java accepts. When a pattern is not ECMA-262, it is
//! read here with Java's meaning, construct by construct, and written as an ECMA-262 pattern
//! (Unicode mode, no flags) that accepts exactly the strings Java's `Matcher.find` accepts. A
//! construct with no exact ECMA-262 form makes the whole pattern [`Error::NoExactForm`] (the
//! caller leaves that one constraint unenforced, with a warning); a pattern Java rejects too is
//! [`Error::NotJava`].
//!
//! Java's meaning is the JDK 17 one (Smithy's validator runs on an LTS JDK), checked construct by
//! construct against `java.util.regex` when this was written; the tests keep those results.
//!
//! | Java | ECMA-262 |
//! | --- | --- |
//! | literals, `\t \n \r \f \a \e \0oct \xhh \x{h..} \uhhhh \cX`, `\Q..\E` | the same characters |
//! | `.` (no `\u0085`, `\u2028`, `\u2029`, `\r`, `\n`; `(?s)` any; `(?d)` not `\n`) | a class |
//! | `\d \D \w \W \s \S \h \H \v \V` (ASCII, Java's sets), `\R` (which backtracks in JDK 17) | classes, spelled out |
//! | `\p{Lower}`.. (POSIX, ASCII), `\p{L}`, `\p{IsL}`, `\p{IsLatin}`, `\p{IsAlphabetic}`.. | classes, `\p{..}` |
//! | `[..]` with nested classes (union) and `&&` (intersection), `[^..]` over all of it | classes, `(?:a\|b)`, `(?=a)b`, `(?!a)[\s\S]` |
//! | `^`, `\A`, `\z`; `$` and `\Z` (also before a final line terminator) | `^`, `$`, a lookahead |
//! | greedy and lazy quantifiers | the same |
//! | possessive quantifiers `X*+`, atomic groups `(?>X)` | `(?=(?<_aN>X*))\k<_aN>` (lookaheads are atomic) |
//! | a quantifier on an anchor or lookaround (`${2,64}`) | the assertion once (minimum ≥ 1) or nothing (minimum 0) |
//! | a `{n,m}` right after a quantifier (`X{11}{0,1011}`), which Java ignores | nothing |
//! | groups, named groups, lookahead, lookbehind | non-capturing groups, the same lookaround |
//! | `(?i)` (ASCII), `(?s)`, `(?d)`, `(?x)`, `(?u)` alone, scoped `(?i:X)` and `(?-i)` | applied to each construct |
//!
//! With no exact form (warned): a possessive quantifier or atomic group around a loop whose
//! body can match empty (Java ends such a loop at its first empty iteration, ECMA-262 looks
//! further, so the one match an atomic construct keeps differs), backreferences (Java fails where the group took no part, ECMA-262
//! matches empty), `\b`/`\B` (Java's word characters are not `\w`'s), `\G`, `\X`, `\b{g}`,
//! `\N{..}`, `\p{In..}` blocks and `\p{java..}`, `(?m)`, `(?U)`, `(?iu)`, and `\p{..}` under `(?i)`.

use std::fmt::Write;

/// Why a pattern was not translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Java rejects the pattern as well.
    NotJava(String),
    /// Java accepts it, but this construct has no exact ECMA-262 form.
    NoExactForm(String),
}

/// Translates the Java pattern `pattern` into an ECMA-262 pattern for Unicode mode (`u`) with
/// the same meaning under `find`.
pub fn translate(pattern: &str) -> Result<String, Error> {
    let mut t = Translator {
        chars: pattern.chars().collect(),
        pos: 0,
        atomic: 0,
    };
    let mut flags = Flags::default();
    let out = t.alternation(&mut flags)?;
    if t.pos < t.chars.len() {
        return Err(Error::NotJava("unmatched closing ')'".into()));
    }
    Ok(out.text)
}

/// The inline flags in force.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    case_insensitive: bool,
    dot_all: bool,
    unix_lines: bool,
    comments: bool,
    unicode_case: bool,
}

/// One translated atom: its ECMA-262 text, and whether it matches no characters (an anchor or
/// a lookaround), which changes what a quantifier on it means.
struct Atom {
    /// Text before the part a quantifier applies to (the start of a `\Q..\E` run).
    prefix: String,
    text: String,
    zero_width: bool,
    /// Whether it can match the empty string.
    nullable: bool,
    /// Whether it holds a loop whose body can match empty (`(a*)*`). Java ends such a loop at
    /// the first empty iteration, ECMA-262 rejects the empty iteration and looks further, so
    /// the *first* match they find differs; only under an atomic group or a possessive
    /// quantifier, where the first match is the only one, does that change the result.
    unstable: bool,
}

impl Atom {
    /// An atom that matches one or more characters.
    fn plain(text: String) -> Atom {
        Atom {
            prefix: String::new(),
            text,
            zero_width: false,
            nullable: false,
            unstable: false,
        }
    }

    /// An assertion: it matches no characters.
    fn anchor(text: &str) -> Atom {
        Atom {
            prefix: String::new(),
            text: text.to_owned(),
            zero_width: true,
            nullable: true,
            unstable: false,
        }
    }
}

/// Translated alternatives or a sequence, with what [`Atom`] tracks about them.
struct Part {
    text: String,
    nullable: bool,
    unstable: bool,
}

/// A set of characters, as Java's classes build them.
#[derive(Debug, Clone)]
enum Set {
    /// ECMA-262 class items (the text between `[` and `]`), positive.
    Items(String),
    /// ECMA-262 class items, negated.
    NotItems(String),
    Union(Vec<Set>),
    Intersection(Box<Set>, Box<Set>),
    Not(Box<Set>),
}

impl Set {
    /// ECMA-262 text that matches exactly one character of the set.
    fn emit(&self) -> String {
        match self {
            Set::Items(items) if items.is_empty() => "[]".into(),
            Set::Items(items) => format!("[{items}]"),
            Set::NotItems(items) => format!("[^{items}]"),
            Set::Union(sets) => {
                // Positive item lists merge into one class; the rest become alternatives.
                let mut items = String::new();
                let mut others = Vec::new();
                for s in sets {
                    match s {
                        Set::Items(i) => items.push_str(i),
                        other => others.push(other.emit()),
                    }
                }
                if others.is_empty() {
                    return format!("[{items}]");
                }
                if !items.is_empty() {
                    others.insert(0, format!("[{items}]"));
                }
                if others.len() == 1 {
                    return others.remove(0);
                }
                format!("(?:{})", others.join("|"))
            }
            Set::Intersection(a, b) => format!("(?={}){}", a.emit(), b.emit()),
            Set::Not(inner) => match &**inner {
                Set::Items(items) => format!("[^{items}]"),
                Set::NotItems(items) => format!("[{items}]"),
                other => format!("(?!{})[\\s\\S]", other.emit()),
            },
        }
    }
}

const LINE_TERMINATORS: &str = r"\n\r\u{85}\u{2028}\u{2029}";
/// Java's `$` and `\Z` without MULTILINE: at the end, or before a line terminator that ends the
/// input (`\r\n` as one; never between its `\r` and `\n`).
pub(crate) const JAVA_END: &str = r"(?=(?:\r\n|[\r\u{85}\u{2028}\u{2029}]|(?<!\r)\n)?$)";

struct Translator {
    chars: Vec<char>,
    pos: usize,
    /// Atomic groups written so far (each gets a capture `_aN` to refer back to).
    atomic: usize,
}

fn no_exact(what: &str) -> Error {
    Error::NoExactForm(what.to_owned())
}

fn not_java(what: &str) -> Error {
    Error::NotJava(what.to_owned())
}

/// `c` as an ECMA-262 class item or literal (Unicode mode): printable ASCII letters and digits
/// as themselves, syntax characters escaped, the rest as `\u{..}`.
fn literal(c: char) -> String {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | ' ' => c.to_string(),
        '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
        | '/' => format!("\\{c}"),
        '!'..='~' => c.to_string(),
        _ => format!("\\u{{{:X}}}", c as u32),
    }
}

/// `c` as a class item: [`literal`], with `-` escaped too.
fn class_literal(c: char) -> String {
    if c == '-' {
        "\\-".to_owned()
    } else {
        literal(c)
    }
}

/// Class items for `c`, with its other ASCII case under `(?i)`.
fn char_items(c: char, flags: Flags) -> String {
    let mut s = class_literal(c);
    if flags.case_insensitive && c.is_ascii_alphabetic() {
        let other = if c.is_ascii_lowercase() {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        };
        s.push(other);
    }
    s
}

/// Class items for the range `lo-hi`, with the other ASCII case of its letters under `(?i)`.
fn range_items(lo: char, hi: char, flags: Flags) -> String {
    let mut s = format!("{}-{}", class_literal(lo), class_literal(hi));
    if flags.case_insensitive {
        for (from, to, shift) in [('a', 'z', -32i32), ('A', 'Z', 32)] {
            let (a, b) = (lo.max(from), hi.min(to));
            if a <= b {
                let a = char::from_u32((a as i32 + shift) as u32).unwrap_or(a);
                let b = char::from_u32((b as i32 + shift) as u32).unwrap_or(b);
                let _ = write!(s, "{a}-{b}");
            }
        }
    }
    s
}

/// Java's predefined class `\{letter}`, as a set.
fn predefined(letter: char) -> Option<Set> {
    let items = |s: &str| Some(Set::Items(s.into()));
    let not = |s: &str| Some(Set::NotItems(s.into()));
    const SPACE: &str = r"\t\n\u{B}\f\r ";
    const HSPACE: &str = r" \t\u{A0}\u{1680}\u{180E}\u{2000}-\u{200A}\u{202F}\u{205F}\u{3000}";
    const VSPACE: &str = r"\n\u{B}\f\r\u{85}\u{2028}\u{2029}";
    match letter {
        'd' => items("0-9"),
        'D' => not("0-9"),
        'w' => items("a-zA-Z_0-9"),
        'W' => not("a-zA-Z_0-9"),
        's' => items(SPACE),
        'S' => not(SPACE),
        'h' => items(HSPACE),
        'H' => not(HSPACE),
        'v' => items(VSPACE),
        'V' => not(VSPACE),
        _ => None,
    }
}

/// `\p{name}` (or `\pL`) as a set; `None` when it has no exact ECMA-262 form.
fn property(name: &str) -> Option<Set> {
    let items = |s: &str| Some(Set::Items(s.into()));
    // POSIX classes are ASCII in Java (without UNICODE_CHARACTER_CLASS).
    match name {
        "Lower" => return items("a-z"),
        "Upper" => return items("A-Z"),
        "ASCII" => return items(r"\u{0}-\u{7F}"),
        "Alpha" => return items("a-zA-Z"),
        "Digit" => return items("0-9"),
        "Alnum" => return items("a-zA-Z0-9"),
        "Punct" => return items(r"!-\/:-@\[-`\{-~"),
        "Graph" => return items(r"!-~"),
        "Print" => return items(r" -~"),
        "Blank" => return items(r" \t"),
        "Cntrl" => return items(r"\u{0}-\u{1F}\u{7F}"),
        "XDigit" => return items("0-9a-fA-F"),
        "Space" => return items(r"\t\n\u{B}\f\r "),
        _ => {}
    }
    const CATEGORIES: &[&str] = &[
        "L", "LC", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P",
        "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl",
        "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn",
    ];
    let bare = name.strip_prefix("Is").unwrap_or(name);
    let bare = bare
        .strip_prefix("gc=")
        .or_else(|| bare.strip_prefix("general_category="))
        .unwrap_or(bare);
    if CATEGORIES.contains(&bare) {
        return Some(Set::Items(format!(r"\p{{{bare}}}")));
    }
    // Binary properties Java spells `Is{Name}`, where ECMA-262 has the same property.
    let binary = match name
        .strip_prefix("Is")?
        .to_ascii_lowercase()
        .replace('_', "")
        .as_str()
    {
        "alphabetic" => "Alphabetic",
        "ideographic" => "Ideographic",
        "letter" => "L",
        "lowercase" => "Lowercase",
        "uppercase" => "Uppercase",
        "titlecase" => "Lt",
        "punctuation" => "P",
        "control" => "Cc",
        "whitespace" => "White_Space",
        "digit" => "Nd",
        "hexdigit" => "Hex_Digit",
        "joincontrol" => "Join_Control",
        "noncharactercodepoint" => "Noncharacter_Code_Point",
        "assigned" => "Assigned",
        "emoji" => "Emoji",
        _ => {
            // A script: `\p{IsLatin}`. ECMA-262 knows the same script names.
            let script = &name[2..];
            if script.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
                let text = format!(r"\p{{Script={script}}}");
                return regress::Regex::with_flags(&text, "u")
                    .is_ok()
                    .then_some(Set::Items(text));
            }
            return None;
        }
    };
    Some(Set::Items(format!(r"\p{{{binary}}}")))
}

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Under `(?x)`, whitespace and `#` comments are not part of the pattern.
    fn skip_comments(&mut self, flags: Flags) {
        if !flags.comments {
            return;
        }
        while let Some(c) = self.peek() {
            if matches!(c, ' ' | '\t' | '\n' | '\u{B}' | '\u{C}' | '\r') {
                self.pos += 1;
            } else if c == '#' {
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    /// Alternatives up to a `)` or the end. Inline flags set in one alternative stay set for
    /// the following ones, as in Java.
    fn alternation(&mut self, flags: &mut Flags) -> Result<Part, Error> {
        let mut out = self.sequence(flags)?;
        while self.eat('|') {
            let next = self.sequence(flags)?;
            out.text.push('|');
            out.text.push_str(&next.text);
            out.nullable |= next.nullable;
            out.unstable |= next.unstable;
        }
        Ok(out)
    }

    fn sequence(&mut self, flags: &mut Flags) -> Result<Part, Error> {
        let mut out = Part {
            text: String::new(),
            nullable: true,
            unstable: false,
        };
        loop {
            self.skip_comments(*flags);
            match self.peek() {
                None | Some('|') | Some(')') => return Ok(out),
                _ => {}
            }
            let Some(atom) = self.atom(flags)? else {
                // Java ignores a counted quantifier after an inline flag group (`(?i){2}`).
                self.skip_comments(*flags);
                while self.peek() == Some('{') {
                    if self.quantifier()?.is_none() {
                        return Err(not_java("illegal repetition"));
                    }
                    if !self.eat('+') {
                        self.eat('?');
                    }
                    self.skip_comments(*flags);
                }
                continue;
            };
            let part = self.quantified(atom, *flags)?;
            out.text.push_str(&part.text);
            out.nullable &= part.nullable;
            out.unstable |= part.unstable;
        }
    }

    /// Reads a quantifier, if one follows, and applies it to `atom`.
    fn quantified(&mut self, atom: Atom, flags: Flags) -> Result<Part, Error> {
        self.skip_comments(flags);
        let Some((min, max, text)) = self.quantifier()? else {
            return Ok(Part {
                text: atom.prefix + &atom.text,
                nullable: atom.nullable,
                unstable: atom.unstable,
            });
        };
        let possessive = self.eat('+');
        let lazy = !possessive && self.eat('?');
        // Java ignores a counted quantifier right after a quantifier: `X{11}{0,1011}` is `X{11}`.
        loop {
            self.skip_comments(flags);
            if self.peek() != Some('{') {
                break;
            }
            if self.quantifier()?.is_none() {
                return Err(not_java("illegal repetition"));
            }
            if !self.eat('+') {
                self.eat('?');
            }
        }
        self.skip_comments(flags);
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return Err(not_java("dangling meta character"));
        }
        if atom.zero_width {
            // An assertion repeated is the assertion; optional, it always holds.
            return Ok(Part {
                text: if min == 0 {
                    atom.prefix
                } else {
                    atom.prefix + &atom.text
                },
                nullable: true,
                unstable: false,
            });
        }
        let varies = max != Some(min);
        let unstable = atom.unstable || (atom.nullable && varies);
        let nullable = min == 0 || atom.nullable;
        let body = if atom.text.chars().count() == 1 || is_single(&atom.text) {
            atom.text
        } else {
            format!("(?:{})", atom.text)
        };
        if possessive {
            if unstable {
                return Err(no_exact(
                    "a possessive quantifier over a loop that can match empty",
                ));
            }
            return Ok(Part {
                text: format!(
                    "{}{}",
                    atom.prefix,
                    self.atomic_group(&format!("{body}{text}"))
                ),
                nullable,
                unstable: false,
            });
        }
        Ok(Part {
            text: format!("{}{body}{text}{}", atom.prefix, if lazy { "?" } else { "" }),
            nullable,
            unstable,
        })
    }

    /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`: the minimum and the ECMA-262 text.
    fn quantifier(&mut self) -> Result<Option<(u64, Option<u64>, String)>, Error> {
        match self.peek() {
            Some('?') => {
                self.pos += 1;
                Ok(Some((0, Some(1), "?".into())))
            }
            Some('*') => {
                self.pos += 1;
                Ok(Some((0, None, "*".into())))
            }
            Some('+') => {
                self.pos += 1;
                Ok(Some((1, None, "+".into())))
            }
            Some('{') => {
                self.pos += 1;
                let min = self
                    .number()
                    .ok_or_else(|| not_java("illegal repetition"))?;
                let mut text = format!("{{{min}");
                let mut max = Some(min);
                if self.eat(',') {
                    text.push(',');
                    max = self.number();
                    if let Some(max) = max {
                        if max < min {
                            return Err(not_java("illegal repetition range"));
                        }
                        let _ = write!(text, "{max}");
                    }
                }
                if !self.eat('}') {
                    return Err(not_java("unclosed counted closure"));
                }
                text.push('}');
                Ok(Some((min, max, text)))
            }
            _ => Ok(None),
        }
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        digits.parse().ok()
    }

    /// One atom; `None` for what writes nothing (an inline flag group, an empty `\Q\E`).
    fn atom(&mut self, flags: &mut Flags) -> Result<Option<Atom>, Error> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        self.pos += 1;
        let plain = |text: String| Ok(Some(Atom::plain(text)));
        let anchor = |text: &str| Ok(Some(Atom::anchor(text)));
        match c {
            '*' | '+' | '?' => Err(not_java("dangling meta character")),
            '{' => Err(not_java("illegal repetition")),
            '.' => plain(if flags.dot_all {
                r"[\s\S]".into()
            } else if flags.unix_lines {
                r"[^\n]".into()
            } else {
                format!("[^{LINE_TERMINATORS}]")
            }),
            '^' => anchor("^"),
            '$' => {
                if flags.unix_lines {
                    anchor(r"(?=\n?$)")
                } else {
                    anchor(JAVA_END)
                }
            }
            '[' => {
                let set = self.class(*flags)?;
                plain(set.emit())
            }
            '(' => self.group(flags),
            '\\' => self.escape(*flags),
            c => plain(self.char_atom(c, *flags)),
        }
    }

    fn char_atom(&self, c: char, flags: Flags) -> String {
        if flags.case_insensitive && c.is_ascii_alphabetic() {
            format!("[{}]", char_items(c, flags))
        } else {
            literal(c)
        }
    }

    fn group(&mut self, flags: &mut Flags) -> Result<Option<Atom>, Error> {
        let mut inner = *flags;
        let (open, zero_width, atomic) = if self.eat('?') {
            match self.peek() {
                Some(':') => {
                    self.pos += 1;
                    ("(?:", false, false)
                }
                Some('=') | Some('!') => {
                    let c = self.peek();
                    self.pos += 1;
                    (if c == Some('=') { "(?=" } else { "(?!" }, true, false)
                }
                Some('>') => {
                    self.pos += 1;
                    ("(?:", false, true)
                }
                Some('<') if matches!(self.peek_at(1), Some('=' | '!')) => {
                    let c = self.peek_at(1);
                    self.pos += 2;
                    (if c == Some('=') { "(?<=" } else { "(?<!" }, true, false)
                }
                Some('<') => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                        self.pos += 1;
                    }
                    if self.pos == start
                        || !self.chars[start].is_ascii_alphabetic()
                        || !self.eat('>')
                    {
                        return Err(not_java("bad named group"));
                    }
                    ("(?:", false, false)
                }
                _ => {
                    // Inline flags: `(?idmsuxU-idmsuxU)` for the rest of the group, or
                    // `(?flags:X)` for X alone.
                    let mut on = true;
                    loop {
                        let Some(c) = self.peek() else {
                            return Err(not_java("unclosed group"));
                        };
                        self.pos += 1;
                        match c {
                            '-' => on = false,
                            'i' => inner.case_insensitive = on,
                            's' => inner.dot_all = on,
                            'd' => inner.unix_lines = on,
                            'x' => inner.comments = on,
                            'u' => inner.unicode_case = on,
                            'm' if on => return Err(no_exact("(?m)")),
                            'U' if on => return Err(no_exact("(?U)")),
                            'm' | 'U' => {}
                            ')' => {
                                check_flags(inner)?;
                                *flags = inner;
                                return Ok(None);
                            }
                            ':' => break,
                            _ => return Err(not_java("unknown inline modifier")),
                        }
                    }
                    check_flags(inner)?;
                    ("(?:", false, false)
                }
            }
        } else {
            ("(?:", false, false)
        };
        let body = self.alternation(&mut inner)?;
        if !self.eat(')') {
            return Err(not_java("unclosed group"));
        }
        if atomic && body.unstable {
            return Err(no_exact(
                "an atomic group around a loop that can match empty",
            ));
        }
        let text = if atomic {
            self.atomic_group(&body.text)
        } else {
            format!("{open}{})", body.text)
        };
        Ok(Some(Atom {
            prefix: String::new(),
            text,
            zero_width,
            // A lookaround only asks whether a match exists, which both engines agree on.
            nullable: zero_width || body.nullable,
            unstable: !zero_width && !atomic && body.unstable,
        }))
    }

    /// `body` matched atomically, as Java's `(?>body)`: ECMA-262 lookaheads are atomic, so the
    /// text a lookahead captured is then consumed by a backreference to it.
    fn atomic_group(&mut self, body: &str) -> String {
        self.atomic += 1;
        let n = self.atomic;
        format!("(?=(?<_a{n}>{body}))\\k<_a{n}>")
    }

    /// An escape outside a class.
    fn escape(&mut self, flags: Flags) -> Result<Option<Atom>, Error> {
        let Some(c) = self.peek() else {
            return Err(not_java("trailing backslash"));
        };
        let anchor = |text: &str| Ok(Some(Atom::anchor(text)));
        match c {
            'A' => {
                self.pos += 1;
                anchor("^")
            }
            'z' => {
                self.pos += 1;
                anchor("$")
            }
            'Z' => {
                self.pos += 1;
                anchor(if flags.unix_lines {
                    r"(?=\n?$)"
                } else {
                    JAVA_END
                })
            }
            'b' | 'B' => Err(no_exact(
                "\\b (Java's word characters are not those of \\w)",
            )),
            'G' => Err(no_exact("\\G")),
            'X' => Err(no_exact("\\X")),
            'N' => Err(no_exact("\\N{..}")),
            'k' | '1'..='9' => Err(no_exact(
                "a backreference (Java fails where the group took no part; ECMA-262 matches empty)",
            )),
            'R' => {
                self.pos += 1;
                Ok(Some(Atom::plain(
                    r"(?:\r\n|[\n\u{B}\f\r\u{85}\u{2028}\u{2029}])".into(),
                )))
            }
            'Q' => {
                self.pos += 1;
                let mut quoted = Vec::new();
                while let Some(c) = self.peek() {
                    if c == '\\' && self.peek_at(1) == Some('E') {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                    quoted.push(self.char_atom(c, flags));
                }
                // A quantifier after `\Q..\E` applies to its last character only.
                let Some(last) = quoted.pop() else {
                    return Ok(None);
                };
                Ok(Some(Atom {
                    prefix: quoted.concat(),
                    text: last,
                    zero_width: false,
                    nullable: false,
                    unstable: false,
                }))
            }
            _ => {
                let set = self.class_escape(flags)?;
                Ok(Some(Atom {
                    prefix: String::new(),
                    text: match set {
                        Item::Char(c) => self.char_atom(c, flags),
                        Item::Set(s) => s.emit(),
                    },
                    zero_width: false,
                    nullable: false,
                    unstable: false,
                }))
            }
        }
    }

    /// An escape that stands for one character or a set (valid both in and out of classes).
    fn class_escape(&mut self, flags: Flags) -> Result<Item, Error> {
        let Some(c) = self.peek() else {
            return Err(not_java("trailing backslash"));
        };
        self.pos += 1;
        let ch = |c: char| Ok(Item::Char(c));
        match c {
            't' => ch('\t'),
            'n' => ch('\n'),
            'r' => ch('\r'),
            'f' => ch('\u{C}'),
            'a' => ch('\u{7}'),
            'e' => ch('\u{1B}'),
            '0' => {
                // `\0n`, `\0nn`, `\0mnn` (m at most 3): octal.
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 3 {
                    let Some(d) = self.peek().and_then(|c| c.to_digit(8)) else {
                        break;
                    };
                    if digits == 2 && value > 0o37 {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.pos += 1;
                }
                if digits == 0 {
                    return Err(not_java("illegal octal escape"));
                }
                char::from_u32(value).map_or_else(|| Err(not_java("bad octal")), ch)
            }
            'x' => {
                let value = if self.eat('{') {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.pos += 1;
                    }
                    let hex: String = self.chars[start..self.pos].iter().collect();
                    if !self.eat('}') {
                        return Err(not_java("unclosed hexadecimal escape"));
                    }
                    u32::from_str_radix(&hex, 16).ok()
                } else {
                    self.hex(2)
                };
                value
                    .and_then(char::from_u32)
                    .map_or_else(|| Err(not_java("illegal hexadecimal escape")), ch)
            }
            'u' => {
                let high = self
                    .hex(4)
                    .ok_or_else(|| not_java("illegal Unicode escape"))?;
                if (0xD800..0xDC00).contains(&high)
                    && self.peek() == Some('\\')
                    && self.peek_at(1) == Some('u')
                {
                    let save = self.pos;
                    self.pos += 2;
                    match self.hex(4) {
                        Some(low) if (0xDC00..0xE000).contains(&low) => {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            return char::from_u32(code)
                                .map_or_else(|| Err(not_java("bad surrogate pair")), ch);
                        }
                        _ => self.pos = save,
                    }
                }
                char::from_u32(high).map_or_else(|| Err(no_exact("a lone surrogate")), ch)
            }
            'c' => {
                let Some(x) = self.peek() else {
                    return Err(not_java("illegal control escape"));
                };
                self.pos += 1;
                char::from_u32(x as u32 ^ 64).map_or_else(|| Err(not_java("bad control")), ch)
            }
            'p' | 'P' => {
                let name = if self.eat('{') {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    let name: String = self.chars[start..self.pos].iter().collect();
                    if !self.eat('}') {
                        return Err(not_java("unclosed character family"));
                    }
                    name
                } else {
                    let Some(one) = self.peek() else {
                        return Err(not_java("illegal character family"));
                    };
                    self.pos += 1;
                    one.to_string()
                };
                if flags.case_insensitive {
                    return Err(no_exact("\\p{..} under (?i)"));
                }
                let set = property(&name).ok_or_else(|| no_exact(&format!("\\p{{{name}}}")))?;
                Ok(Item::Set(if c == 'P' {
                    Set::Not(Box::new(set))
                } else {
                    set
                }))
            }
            c if c.is_ascii_alphanumeric() => match predefined(c) {
                Some(set) => Ok(Item::Set(set)),
                None => Err(not_java("illegal/unsupported escape sequence")),
            },
            c => ch(c),
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let text: String = self.chars.get(self.pos..self.pos + n)?.iter().collect();
        let value = u32::from_str_radix(&text, 16).ok()?;
        if text.chars().all(|c| c.is_ascii_hexdigit()) {
            self.pos += n;
            Some(value)
        } else {
            None
        }
    }

    /// A class, after its `[`: `^` negates all of it; nested classes are unions; `&&`
    /// intersects everything before it with everything after it.
    fn class(&mut self, flags: Flags) -> Result<Set, Error> {
        let negated = self.eat('^');
        let mut operands: Vec<Set> = Vec::new();
        let mut current: Vec<Set> = Vec::new();
        let mut items = String::new();
        let mut first = true;
        loop {
            self.skip_comments(flags);
            let Some(c) = self.peek() else {
                return Err(not_java("unclosed character class"));
            };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' {
                self.pos += 1;
                current.push(self.class(flags)?);
                continue;
            }
            if c == '&' && self.peek_at(1) == Some('&') {
                self.pos += 2;
                flush(&mut items, &mut current);
                if !current.is_empty() {
                    operands.push(Set::Union(std::mem::take(&mut current)));
                }
                continue;
            }
            let lo = match self.class_char(flags)? {
                Item::Set(s) => {
                    flush(&mut items, &mut current);
                    current.push(s);
                    continue;
                }
                Item::Char(c) => c,
            };
            // A range, unless `-` ends the class.
            self.skip_comments(flags);
            if self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']') | None) {
                let save = self.pos;
                self.pos += 1;
                if self.peek() == Some('[') {
                    self.pos = save;
                } else {
                    match self.class_char(flags)? {
                        Item::Char(hi) if hi >= lo => {
                            items.push_str(&range_items(lo, hi, flags));
                            continue;
                        }
                        _ => return Err(not_java("illegal character range")),
                    }
                }
            }
            items.push_str(&char_items(lo, flags));
        }
        flush(&mut items, &mut current);
        if !current.is_empty() {
            operands.push(Set::Union(current));
        }
        let mut set = match operands.len() {
            0 => Set::Items(String::new()),
            _ => {
                let mut it = operands.into_iter();
                let first = it.next().map(simplify).unwrap_or(Set::Items(String::new()));
                it.fold(first, |acc, next| {
                    Set::Intersection(Box::new(acc), Box::new(simplify(next)))
                })
            }
        };
        if negated {
            set = Set::Not(Box::new(set));
        }
        Ok(set)
    }

    /// One character or predefined set inside a class.
    fn class_char(&mut self, flags: Flags) -> Result<Item, Error> {
        let Some(c) = self.peek() else {
            return Err(not_java("unclosed character class"));
        };
        self.pos += 1;
        if c != '\\' {
            return Ok(Item::Char(c));
        }
        match self.peek() {
            Some('Q') => {
                // `\Q..\E` in a class: its characters are members.
                self.pos += 1;
                let mut items = String::new();
                while let Some(c) = self.peek() {
                    if c == '\\' && self.peek_at(1) == Some('E') {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                    items.push_str(&char_items(c, flags));
                }
                Ok(Item::Set(Set::Items(items)))
            }
            Some('b' | 'B' | 'A' | 'z' | 'Z' | 'G' | 'R' | 'X' | 'N' | 'k') => {
                Err(no_exact("this escape inside a class"))
            }
            Some('1'..='9') => Err(not_java("illegal escape in a class")),
            _ => self.class_escape(flags),
        }
    }
}

fn check_flags(flags: Flags) -> Result<(), Error> {
    if flags.case_insensitive && flags.unicode_case {
        return Err(no_exact("(?iu): Unicode case folding"));
    }
    Ok(())
}

/// What a class escape stands for.
enum Item {
    Char(char),
    Set(Set),
}

fn flush(items: &mut String, current: &mut Vec<Set>) {
    if !items.is_empty() {
        current.push(Set::Items(std::mem::take(items)));
    }
}

fn simplify(set: Set) -> Set {
    match set {
        Set::Union(mut sets) if sets.len() == 1 => sets.remove(0),
        other => other,
    }
}

/// Whether `text` is one ECMA-262 atom a quantifier can follow directly: a class, a group, an
/// escape or a single character.
fn is_single(text: &str) -> bool {
    let closes_at = |open: char, close: char| -> bool {
        // The first `open` balances at the very end.
        let mut depth = 0i32;
        let mut escaped = false;
        let mut in_class = false;
        for (i, c) in text.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '[' if open == '(' => in_class = true,
                ']' if open == '(' && in_class => in_class = false,
                c if c == open && !in_class => depth += 1,
                c if c == close && !in_class => {
                    depth -= 1;
                    if depth == 0 {
                        return i + c.len_utf8() == text.len();
                    }
                }
                _ => {}
            }
        }
        false
    };
    if text.starts_with('[') {
        return class_ends_at_end(text);
    }
    if text.starts_with('(') {
        return closes_at('(', ')');
    }
    if let Some(rest) = text.strip_prefix('\\') {
        let mut chars = rest.chars();
        return match chars.next() {
            Some('u') if rest.starts_with("u{") => rest.find('}') == Some(rest.len() - 1),
            Some('p' | 'P') => rest.find('}') == Some(rest.len() - 1),
            Some(_) => chars.next().is_none(),
            None => false,
        };
    }
    text.chars().count() == 1
}

/// Whether the class that opens `text` closes at its last character.
fn class_ends_at_end(text: &str) -> bool {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            ']' => return i + 1 == text.len(),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Each construct with strings Java's `Matcher.find` accepts and rejects (as JDK 17's
    /// `java.util.regex` answered when these were written).
    #[rustfmt::skip]
    pub(crate) const CASES: &[(&str, &[&str], &[&str])] = &[
        ("^[-_a-zA-Z0-9]*${2,64}$", &["ab", "ab\u{A}", "ab\u{D}\u{A}", ""], &["ab\u{A}\u{A}", "a b"]),
        ("^arn:aws:rbin:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$", &["arn:aws:rbin:123456789012:rule/abcdefghijk"], &["arn:aws:rbin:123456789012:rule/abcdefghijkl", "arn:aws:rbin:123456789012:rule/abcdefghij", "arn:aws:rbin:123456789012:rule/aaaaaaaaaaaaaaaaaaaaaa"]),
        ("^a{2}{3}$", &["aa"], &["aaaaaa", "a"]),
        ("^a{2,3}{2}?b$", &["aab", "aaab"], &["aaaab"]),
        ("^a*+a$", &[], &["aaa", "a", ""]),
        ("^a?+a$", &["aa"], &["a"]),
        ("^(?:ab)++b$", &["ababb"], &["abab"]),
        ("^a{1,3}+a$", &["aaaa"], &["aa", "aaaaa"]),
        ("^(?>a|ab)c$", &["ac"], &["abc"]),
        ("^x(?>\\d+)\\d$", &[], &["x123", "x1"]),
        ("^*a", &["ba", "a"], &[]),
        ("x$?y", &["xy"], &["x\u{A}y"]),
        ("(?=a){2}a", &["a"], &["b"]),
        ("(?!a){0}a", &["a"], &[]),
        ("a$", &["a", "a\u{A}", "a\u{D}", "a\u{D}\u{A}", "a\u{85}", "a\u{2028}"], &["a\u{A}\u{D}", "a\u{A}\u{A}", "ab"]),
        ("\\Aa\\z", &["a"], &["a\u{A}"]),
        ("a\\Z", &["a\u{A}", "a\u{D}\u{A}"], &["a\u{A}b"]),
        ("(?d)a$", &["a\u{A}"], &["a\u{D}", "a\u{D}\u{A}"]),
        ("^a.b$", &["axb", "a\u{E9}b", "a\u{1F600}b"], &["a\u{A}b", "a\u{D}b", "a\u{85}b", "a\u{2028}b"]),
        ("(?s)^a.b$", &["a\u{A}b", "a\u{85}b"], &[]),
        ("(?d)^a.b$", &["a\u{D}b", "a\u{85}b"], &["a\u{A}b"]),
        ("^\\s$", &[" ", "\u{9}", "\u{B}"], &["\u{A0}", "\u{2028}", "\u{3000}"]),
        ("^\\S$", &["a", "\u{A0}"], &[" "]),
        ("^\\w+$", &["a_Z9"], &["\u{E9}", "a-b"]),
        ("^\\W$", &["\u{E9}"], &["a"]),
        ("^\\d$", &["5"], &["\u{663}"]),
        ("^\\h$", &[" ", "\u{A0}", "\u{2000}"], &["\u{A}"]),
        ("^\\v$", &["\u{A}", "\u{B}", "\u{2028}"], &[" "]),
        ("^\\H\\V$", &["ab"], &[" a", "a\u{A}"]),
        ("^\\R$", &["\u{A}", "\u{D}\u{A}", "\u{D}", "\u{2029}", "\u{A}\u{A}"], &[]),
        ("^\\R\\n$", &["\u{D}\u{A}", "\u{A}\u{A}", "\u{D}\u{A}\u{A}"], &[]),
        ("^\\p{Alpha}+$", &["abc"], &["\u{E9}"]),
        ("^\\p{Punct}$", &["!", "/", ":", "@", "[", "`", "{", "~"], &["a", "\u{A1}"]),
        ("^\\p{Alnum}\\p{XDigit}\\p{Upper}\\p{Lower}$", &["aFAa"], &["aGAa"]),
        ("^\\p{L}+$", &["\u{E9}t\u{E9}"], &["a1"]),
        ("^\\p{IsL}\\pL\\p{Lu}\\p{IsLu}$", &["aaAA"], &["aaaA"]),
        ("^\\P{L}$", &["1"], &["a"]),
        ("^\\p{IsLatin}+$", &["abc\u{E9}"], &["\u{3B1}"]),
        ("^\\p{IsAlphabetic}$", &["\u{E9}"], &["1"]),
        ("^\\p{IsWhite_Space}$", &["\u{A0}"], &["a"]),
        ("^\\p{Space}\\p{Blank}\\p{Cntrl}$", &[" \u{9}\u{1}"], &["  \u{80}"]),
        ("^\\p{Graph}\\p{Print}$", &["a "], &[" a"]),
        ("^[]a]+$", &["]a"], &["b"]),
        ("^[^]a]$", &["b"], &["]"]),
        ("^[a-z&&[^aeiou]]+$", &["bcd"], &["bad"]),
        ("^[a-z&&def]$", &["d"], &["x"]),
        ("^[^a-z&&[def]]$", &["x", "1"], &["d"]),
        ("^[a-c[x-z]]+$", &["axz"], &["abd"]),
        ("^[a-c[x-z]&&[b-y]]$", &["b", "x"], &["a", "z"]),
        ("^[^a[b]]$", &["c"], &["a", "b"]),
        ("^[\\w&&[^_]]+$", &["ab"], &["a_b"]),
        ("^[a-]$", &["-"], &["b"]),
        ("^[-a]$", &["-", "a"], &[]),
        ("^[a^]$", &["^"], &["b"]),
        ("^[a&b]$", &["&"], &["c"]),
        ("^[a&&]$", &["a"], &["b"]),
        ("^[\\s\\d]$", &[" ", "5"], &["\u{A0}"]),
        ("^[^\\s\\d]$", &["a", "\u{A0}"], &[" "]),
        ("^[\\S]$", &["a"], &[" "]),
        ("^[\\Q]-\\E]$", &["]", "-"], &["\\"]),
        ("^[\\p{L}&&[^a-z]]$", &["A", "\u{E9}"], &["a"]),
        ("^\\Qa.b*\\E$", &["a.b*"], &["axbb"]),
        ("^\\Qab\\E+$", &["abbb"], &["abab"]),
        ("^\\0101\\x42\\u0043\\x{44}\\cA\\t\\e\\a$", &["ABCD\u{1}\u{9}\u{1B}\u{7}"], &[]),
        ("^\\x{1F600}$", &["\u{1F600}"], &["x"]),
        ("^\\uD83D\\uDE00$", &["\u{1F600}"], &[]),
        ("^a}]$", &["a}]"], &[]),
        ("^a-b/c$", &["a-b/c"], &["ab/c"]),
        ("a(?i){2}b", &["ab", "aab"], &[]),
        ("(?x)a {2}", &["aa"], &["a"]),
        ("^(?:a*)*b$", &["ab", "b", "aab"], &[]),
        ("^[A-Z]++-\\d{2,4}+$", &["AB-12"], &["AB-12345", "ab-12", "AB-1"]),
        ("(?i)^(?>ab|abc)[a-z&&[^x]]$", &["ABd", "abc"], &["abx", "ABCd"]),
        ("^\\p{IsLatin}+\\p{Punct}?\\Z", &["abc!\n", "abc"], &["ab1"]),
        ("^\\:\\#$", &[":#"], &[]),
        ("(?i)^abc$", &["ABC", "aBc"], &["abd"]),
        ("(?i)^[a-c]+$", &["AbC"], &["d"]),
        ("(?i)^[^a-c]$", &["d", "D"], &["B"]),
        ("^a(?i)b|c$", &["aB", "C"], &["AB"]),
        ("^(?i:a)b$", &["Ab"], &["AB"]),
        ("(?i)^a(?-i)b$", &["Ab"], &["AB"]),
        ("(?x)^ a b # comment$", &["ab"], &["a b"]),
        ("(?x)^[a b]+$", &["ab"], &["a b"]),
        ("(?u)^abc$", &["abc"], &[]),
        ("^(?<name>ab)+$", &["abab"], &["aba"]),
        ("^(a|b)c(?=d)", &["acd"], &["bce"]),
        ("(?<=a)b", &["ab"], &["cb"]),
        ("(?<!a)b", &["cb"], &["ab"]),
        ("^a+?b*?c??$", &["aabbc", "a"], &[]),
    ];

    #[test]
    fn translations_accept_and_reject_what_java_does() {
        for (pattern, accepted, rejected) in CASES {
            let ecma = translate(pattern).unwrap_or_else(|e| panic!("{pattern}: {e:?}"));
            let re = regress::Regex::with_flags(&ecma, "u")
                .unwrap_or_else(|e| panic!("{pattern} as {ecma}: {e}"));
            for input in *accepted {
                assert!(
                    re.find(input).is_some(),
                    "{pattern} as {ecma} rejects {input:?}"
                );
            }
            for input in *rejected {
                assert!(
                    re.find(input).is_none(),
                    "{pattern} as {ecma} accepts {input:?}"
                );
            }
        }
    }

    #[test]
    fn constructs_without_an_exact_form_are_named() {
        for pattern in [
            r"\bword\b",
            r"(a)\1",
            r"(?<n>a)\k<n>",
            r"\Ga",
            r"\X",
            r"\b{g}",
            r"\N{LATIN SMALL LETTER A}",
            r"\p{InGreek}",
            r"\p{javaLowerCase}",
            r"(?m)^a$",
            r"(?U)\w",
            r"(?iu)a",
            r"(?i)\p{Lower}",
            r"^(?:[a[x-z]]*?|\x41 +?)++\w",
            r"^(?>(?:a*)*)b",
        ] {
            assert!(
                matches!(translate(pattern), Err(Error::NoExactForm(_))),
                "{pattern}: {:?}",
                translate(pattern)
            );
        }
    }

    #[test]
    fn patterns_java_rejects_are_not_java() {
        for pattern in [
            r"a**", r"a{2}*", r"*a", r"a{,3}", r"a{2", r"x{", r"(a", r"a)", r"[a", r"[a-\d]",
            r"[z-a]", r"\y", "a\\",
        ] {
            assert!(
                matches!(translate(pattern), Err(Error::NotJava(_))),
                "{pattern}: {:?}",
                translate(pattern)
            );
        }
    }

    #[test]
    fn the_published_forms_read_naturally() {
        assert_eq!(
            translate(r"^arn:aws:rbin:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$").unwrap(),
            format!(r"^arn:aws:rbin:[0-9]{{12}}:rule\/[0-9a-zA-Z]{{11}}{JAVA_END}")
        );
        assert_eq!(
            translate(r"^a*+$").unwrap(),
            format!(r"^(?=(?<_a1>a*))\k<_a1>{JAVA_END}")
        );
    }
}
