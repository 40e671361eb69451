//! The shared config and credentials files of the AWS CLI and SDKs: `~/.aws/config` (or
//! `AWS_CONFIG_FILE`) and `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`), and the
//! profile they select (`AWS_PROFILE`, else `default`).
//!
//! The format is the SDKs' INI dialect: `[default]`, `[profile NAME]` and `[sso-session NAME]`
//! sections in the config file, `[NAME]` in the credentials file; `key = value` properties;
//! comments from `#` or `;` at the start of a line or after whitespace; indented lines continue
//! the value above, or (under a property with no value) are sub-properties, which are kept as
//! `parent.key`. A property of the credentials file wins over the same one in the config file.
//! Errors name the file and line, never a value: values may be secrets.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How a caller reads the environment: `std::env::var` for real, a map in tests.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, with empty values counted as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// One section's properties.
pub type Properties = BTreeMap<String, String>;

/// The profiles and SSO sessions of both files, and the profile selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Properties>,
    sso_sessions: BTreeMap<String, Properties>,
    selected: String,
    /// Whether the selection was asked for (`AWS_PROFILE`) rather than the default.
    explicit: bool,
}

/// A config or credentials file that can't be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file.
    pub file: PathBuf,
    /// The line (1-based), if the problem is on one.
    pub line: Option<usize>,
    /// What is wrong (never a property's value).
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// The user's home directory: `HOME`, else `USERPROFILE` (Windows).
pub fn home_dir(env: Env<'_>) -> Option<PathBuf> {
    env("HOME")
        .or_else(|| env("USERPROFILE"))
        .map(PathBuf::from)
}

/// Expands a leading `~/` to the home directory.
pub fn expand_home(path: &str, env: Env<'_>) -> PathBuf {
    match (path.strip_prefix("~/"), home_dir(env)) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

impl ProfileSet {
    /// Reads both files where the environment says they are; a file that doesn't exist counts
    /// as empty.
    pub fn load(env: Env<'_>) -> Result<ProfileSet, ProfileError> {
        let config = env("AWS_CONFIG_FILE")
            .map(|p| expand_home(&p, env))
            .or_else(|| home_dir(env).map(|h| h.join(".aws").join("config")));
        let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(|p| expand_home(&p, env))
            .or_else(|| home_dir(env).map(|h| h.join(".aws").join("credentials")));
        let mut set = ProfileSet {
            selected: env("AWS_PROFILE").unwrap_or_else(|| "default".to_owned()),
            explicit: env("AWS_PROFILE").is_some(),
            ..ProfileSet::default()
        };
        if let Some(path) = config {
            if let Some(text) = read_if_present(&path)? {
                set.add(&path, &text, FileKind::Config)?;
            }
        }
        if let Some(path) = credentials {
            if let Some(text) = read_if_present(&path)? {
                set.add(&path, &text, FileKind::Credentials)?;
            }
        }
        Ok(set)
    }

    /// Parses the two files' texts (either may be empty), selecting `profile`.
    pub fn parse(
        config: &str,
        credentials: &str,
        profile: &str,
    ) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet {
            selected: profile.to_owned(),
            explicit: true,
            ..ProfileSet::default()
        };
        set.add(Path::new("config"), config, FileKind::Config)?;
        set.add(Path::new("credentials"), credentials, FileKind::Credentials)?;
        Ok(set)
    }

    /// The selected profile's name.
    pub fn selected(&self) -> &str {
        &self.selected
    }

    /// Whether the selected profile was asked for by name (`AWS_PROFILE`), so its absence is an
    /// error rather than "no profile".
    pub fn explicitly_selected(&self) -> bool {
        self.explicit
    }

    /// A profile's properties.
    pub fn profile(&self, name: &str) -> Option<&Properties> {
        self.profiles.get(name)
    }

    /// An `[sso-session NAME]` section's properties.
    pub fn sso_session(&self, name: &str) -> Option<&Properties> {
        self.sso_sessions.get(name)
    }

    /// The names of every profile, in order.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    fn add(&mut self, file: &Path, text: &str, kind: FileKind) -> Result<(), ProfileError> {
        let error = |line: usize, message: &str| ProfileError {
            file: file.to_path_buf(),
            line: Some(line),
            message: message.to_owned(),
        };
        // Where properties go: a section we keep, or one we ignore (another kind of section).
        let mut section: Option<(Target, String)> = None;
        let mut ignored = false;
        // The property the next indented line continues: (key, whether it had a value).
        let mut last: Option<(String, bool)> = None;
        for (n, raw) in text.lines().enumerate() {
            let n = n + 1;
            let line = raw.trim_end_matches('\r');
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            let indented = line.starts_with([' ', '\t']);
            if indented && !trimmed.starts_with('[') {
                if ignored {
                    continue;
                }
                let (Some((target, name)), Some((key, had_value))) = (&section, &last) else {
                    return Err(error(n, "an indented line continues no property"));
                };
                let props = self.section_mut(*target, name);
                if *had_value {
                    if let Some(v) = props.get_mut(key) {
                        v.push('\n');
                        v.push_str(trimmed);
                    }
                } else {
                    let Some((sub, value)) = trimmed.split_once('=') else {
                        return Err(error(n, "a sub-property needs `key = value`"));
                    };
                    props.insert(
                        format!("{key}.{}", sub.trim()),
                        strip_comment(value).trim().to_owned(),
                    );
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                let Some(end) = rest.find(']') else {
                    return Err(error(n, "a section header needs a closing `]`"));
                };
                let after = rest[end + 1..].trim();
                if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                    return Err(error(n, "text after a section header"));
                }
                let header = rest[..end].trim();
                last = None;
                section = match kind.section(header) {
                    Some((target, name)) if !name.is_empty() => Some((target, name)),
                    Some(_) => return Err(error(n, "a section with no name")),
                    None => None,
                };
                ignored = section.is_none();
                if let Some((target, name)) = &section {
                    self.section_mut(*target, name);
                }
                continue;
            }
            let Some((key, value)) = trimmed.split_once('=') else {
                return Err(error(n, "expected `key = value` or a `[section]`"));
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(error(n, "a property with no name"));
            }
            if ignored {
                continue;
            }
            let Some((target, name)) = &section else {
                return Err(error(n, "a property before any `[section]`"));
            };
            let value = strip_comment(value).trim().to_owned();
            last = Some((key.to_owned(), !value.is_empty()));
            self.section_mut(*target, name)
                .insert(key.to_owned(), value);
        }
        Ok(())
    }

    fn section_mut(&mut self, target: Target, name: &str) -> &mut Properties {
        let map = match target {
            Target::Profile => &mut self.profiles,
            Target::SsoSession => &mut self.sso_sessions,
        };
        map.entry(name.to_owned()).or_default()
    }
}

#[derive(Debug, Clone, Copy)]
enum FileKind {
    Config,
    Credentials,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Profile,
    SsoSession,
}

impl FileKind {
    /// What a section header names, or `None` for a section to ignore.
    fn section(self, header: &str) -> Option<(Target, String)> {
        match self {
            FileKind::Credentials => Some((Target::Profile, header.to_owned())),
            FileKind::Config => {
                if header == "default" {
                    return Some((Target::Profile, "default".to_owned()));
                }
                let mut words = header.split_whitespace();
                match (words.next(), words.next(), words.next()) {
                    (Some("profile"), Some(name), None) => Some((Target::Profile, name.to_owned())),
                    (Some("sso-session"), Some(name), None) => {
                        Some((Target::SsoSession, name.to_owned()))
                    }
                    // `[profile]`: a profile section with its name missing.
                    (Some("profile"), None, _) => Some((Target::Profile, String::new())),
                    (Some("sso-session"), None, _) => Some((Target::SsoSession, String::new())),
                    _ => None,
                }
            }
        }
    }
}

/// A value without its trailing comment (`#` or `;` after whitespace).
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

fn read_if_present(path: &Path) -> Result<Option<String>, ProfileError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| ProfileError {
                file: path.to_path_buf(),
                line: None,
                message: "the file is not UTF-8".to_owned(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ProfileError {
            file: path.to_path_buf(),
            line: None,
            message: format!("cannot read it: {e}"),
        }),
    }
}

/// The region for the environment: `AWS_REGION`, `AWS_DEFAULT_REGION`, else the selected
/// profile's `region` in the config file.
pub fn region(env: Env<'_>) -> Option<String> {
    if let Some(region) = env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")) {
        return Some(region);
    }
    let set = ProfileSet::load(env).ok()?;
    set.profile(set.selected())?
        .get("region")
        .filter(|r| !r.is_empty())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# a comment
[default]
region = eu-west-1 ; where we run
output=json

[profile dev]
region = us-east-2
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = default
s3 =
  max_concurrent_requests = 20

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[plugins]
whatever = x
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDFILE
aws_secret_access_key = secret#notacomment
[dev]
region = ap-south-1
";

    #[test]
    fn reads_profiles_sessions_comments_and_sub_properties() {
        let set = ProfileSet::parse(CONFIG, CREDENTIALS, "dev").unwrap();
        let default = set.profile("default").unwrap();
        assert_eq!(default["region"], "eu-west-1");
        assert_eq!(default["output"], "json");
        assert_eq!(default["aws_access_key_id"], "AKIDFILE");
        assert_eq!(default["aws_secret_access_key"], "secret#notacomment");
        let dev = set.profile("dev").unwrap();
        // The credentials file wins.
        assert_eq!(dev["region"], "ap-south-1");
        assert_eq!(dev["source_profile"], "default");
        assert_eq!(dev["s3.max_concurrent_requests"], "20");
        assert_eq!(
            set.sso_session("corp").unwrap()["sso_start_url"],
            "https://corp.awsapps.com/start"
        );
        assert!(set.profile("plugins").is_none());
        assert_eq!(set.selected(), "dev");
    }

    #[test]
    fn malformed_files_name_the_line_and_never_a_value() {
        for (text, line, what) in [
            ("[default\nx = 1\n", 1, "closing"),
            ("aws_secret_access_key = hunter2\n", 1, "before any"),
            ("[default]\nhunter2\n", 2, "key = value"),
            ("[default]\n  hunter2\n", 2, "continues no property"),
            ("[profile]\n", 1, "no name"),
        ] {
            let err = ProfileSet::parse(text, "", "default").unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
            assert!(err.to_string().contains(what), "{text:?}: {err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn files_and_the_region_come_from_the_environment() {
        let dir = std::env::temp_dir().join(format!("swage-profile-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), CONFIG).unwrap();
        let home = dir.display().to_string();
        let env = |vars: &'static [(&'static str, &'static str)], home: String| {
            move |name: &str| {
                if name == "HOME" {
                    return Some(home.clone());
                }
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            region(&env(&[], home.clone())).as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            region(&env(&[("AWS_PROFILE", "dev")], home.clone())).as_deref(),
            Some("us-east-2")
        );
        assert_eq!(
            region(&env(&[("AWS_REGION", "sa-east-1")], home.clone())).as_deref(),
            Some("sa-east-1")
        );
        // No files at all: no profiles, no error.
        let none = |name: &str| (name == "HOME").then(|| "/nonexistent-swage".to_owned());
        assert!(ProfileSet::load(&none)
            .unwrap()
            .profile("default")
            .is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
