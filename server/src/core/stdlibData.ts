// GENERATED FILE - do not edit by hand.
// Regenerate with `python3 tools/gen-stdlib.py` (the per-version change table lives in that script).
// Anchor: sys.stdlib_module_names of Python 3.11.7; other minors derived from documented changes.

/** The minor version whose list `STDLIB_BASE` is (taken verbatim from that interpreter). */
export const STDLIB_BASE_MINOR = 11;

/** Top-level standard-library module names of Python 3.`STDLIB_BASE_MINOR`, sorted. */
export const STDLIB_BASE: readonly string[] = [
  '__future__', '_abc', '_aix_support', '_ast', '_asyncio', '_bisect', '_blake2', '_bootsubprocess', '_bz2',
  '_codecs', '_codecs_cn', '_codecs_hk', '_codecs_iso2022', '_codecs_jp', '_codecs_kr', '_codecs_tw', '_collections',
  '_collections_abc', '_compat_pickle', '_compression', '_contextvars', '_crypt', '_csv', '_ctypes', '_curses',
  '_curses_panel', '_datetime', '_dbm', '_decimal', '_elementtree', '_frozen_importlib',
  '_frozen_importlib_external', '_functools', '_gdbm', '_hashlib', '_heapq', '_imp', '_io', '_json', '_locale',
  '_lsprof', '_lzma', '_markupbase', '_md5', '_msi', '_multibytecodec', '_multiprocessing', '_opcode', '_operator',
  '_osx_support', '_overlapped', '_pickle', '_posixshmem', '_posixsubprocess', '_py_abc', '_pydecimal', '_pyio',
  '_queue', '_random', '_scproxy', '_sha1', '_sha256', '_sha3', '_sha512', '_signal', '_sitebuiltins', '_socket',
  '_sqlite3', '_sre', '_ssl', '_stat', '_statistics', '_string', '_strptime', '_struct', '_symtable', '_thread',
  '_threading_local', '_tkinter', '_tokenize', '_tracemalloc', '_typing', '_uuid', '_warnings', '_weakref',
  '_weakrefset', '_winapi', '_zoneinfo', 'abc', 'aifc', 'antigravity', 'argparse', 'array', 'ast', 'asynchat',
  'asyncio', 'asyncore', 'atexit', 'audioop', 'base64', 'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'cProfile',
  'calendar', 'cgi', 'cgitb', 'chunk', 'cmath', 'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys',
  'compileall', 'concurrent', 'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv',
  'ctypes', 'curses', 'dataclasses', 'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest', 'email',
  'encodings', 'ensurepip', 'enum', 'errno', 'faulthandler', 'fcntl', 'filecmp', 'fileinput', 'fnmatch', 'fractions',
  'ftplib', 'functools', 'gc', 'genericpath', 'getopt', 'getpass', 'gettext', 'glob', 'graphlib', 'grp', 'gzip',
  'hashlib', 'heapq', 'hmac', 'html', 'http', 'idlelib', 'imaplib', 'imghdr', 'imp', 'importlib', 'inspect', 'io',
  'ipaddress', 'itertools', 'json', 'keyword', 'lib2to3', 'linecache', 'locale', 'logging', 'lzma', 'mailbox',
  'mailcap', 'marshal', 'math', 'mimetypes', 'mmap', 'modulefinder', 'msilib', 'msvcrt', 'multiprocessing', 'netrc',
  'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path', 'numbers', 'opcode', 'operator', 'optparse', 'os', 'ossaudiodev',
  'pathlib', 'pdb', 'pickle', 'pickletools', 'pipes', 'pkgutil', 'platform', 'plistlib', 'poplib', 'posix',
  'posixpath', 'pprint', 'profile', 'pstats', 'pty', 'pwd', 'py_compile', 'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat',
  'queue', 'quopri', 'random', 're', 'readline', 'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets',
  'select', 'selectors', 'shelve', 'shlex', 'shutil', 'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket',
  'socketserver', 'spwd', 'sqlite3', 'sre_compile', 'sre_constants', 'sre_parse', 'ssl', 'stat', 'statistics',
  'string', 'stringprep', 'struct', 'subprocess', 'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny',
  'tarfile', 'telnetlib', 'tempfile', 'termios', 'textwrap', 'this', 'threading', 'time', 'timeit', 'tkinter',
  'token', 'tokenize', 'tomllib', 'trace', 'traceback', 'tracemalloc', 'tty', 'turtle', 'turtledemo', 'types',
  'typing', 'unicodedata', 'unittest', 'urllib', 'uu', 'uuid', 'venv', 'warnings', 'wave', 'weakref', 'webbrowser',
  'winreg', 'winsound', 'wsgiref', 'xdrlib', 'xml', 'xmlrpc', 'zipapp', 'zipfile', 'zipimport', 'zlib', 'zoneinfo',
];

/** For each minor 8..14: names to add to and remove from `STDLIB_BASE` to get that minor's list. */
export const STDLIB_DELTAS: Readonly<Record<number, { add: readonly string[]; remove: readonly string[] }>> = {
  8: {
    add: ['_bootlocale', '_dummy_thread', 'binhex', 'dummy_threading', 'formatter', 'parser', 'symbol'],
    remove: ['_aix_support', '_bootsubprocess', '_statistics', '_tokenize', '_typing', '_zoneinfo', 'graphlib', 'tomllib', 'zoneinfo'],
  },
  9: {
    add: ['_bootlocale', '_peg_parser', 'binhex', 'formatter', 'parser', 'symbol'],
    remove: ['_statistics', '_tokenize', '_typing', 'tomllib'],
  },
  10: {
    add: ['binhex'],
    remove: ['_tokenize', 'tomllib'],
  },
  11: {
    add: [],
    remove: [],
  },
  12: {
    add: ['_pydatetime', '_pylong', '_sha2', '_wmi'],
    remove: ['_bootsubprocess', '_sha256', '_sha512', 'asynchat', 'asyncore', 'distutils', 'imp', 'smtpd'],
  },
  13: {
    add: ['_android_support', '_colorize', '_interpchannels', '_interpqueues', '_interpreters', '_ios_support', '_opcode_metadata', '_pydatetime', '_pylong', '_pyrepl', '_sha2', '_suggestions', '_sysconfig', '_wmi'],
    remove: ['_bootsubprocess', '_crypt', '_msi', '_sha256', '_sha512', 'aifc', 'asynchat', 'asyncore', 'audioop', 'cgi', 'cgitb', 'chunk', 'crypt', 'distutils', 'imghdr', 'imp', 'lib2to3', 'mailcap', 'msilib', 'nis', 'nntplib', 'ossaudiodev', 'pipes', 'smtpd', 'sndhdr', 'spwd', 'sunau', 'telnetlib', 'uu', 'xdrlib'],
  },
  14: {
    add: ['_android_support', '_colorize', '_hmac', '_interpchannels', '_interpqueues', '_interpreters', '_ios_support', '_opcode_metadata', '_py_warnings', '_pydatetime', '_pylong', '_pyrepl', '_remote_debugging', '_sha2', '_suggestions', '_sysconfig', '_types', '_wmi', '_zstd', 'annotationlib', 'compression'],
    remove: ['_bootsubprocess', '_crypt', '_msi', '_sha256', '_sha512', 'aifc', 'asynchat', 'asyncore', 'audioop', 'cgi', 'cgitb', 'chunk', 'crypt', 'distutils', 'imghdr', 'imp', 'lib2to3', 'mailcap', 'msilib', 'nis', 'nntplib', 'ossaudiodev', 'pipes', 'smtpd', 'sndhdr', 'spwd', 'sunau', 'telnetlib', 'uu', 'xdrlib'],
  },
};
