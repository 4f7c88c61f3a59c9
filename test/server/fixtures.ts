/**
 * Small monorepos the server tests create in temp folders: a uv workspace with one service (`api`) that imports
 * `requests` without declaring it, and one library (`shared`) it declares through a workspace source.
 */
import * as path from 'node:path';
import { makeTree } from './lspClient';

/** services/api/pyproject.toml: line 6 is `"shared",` (insert a requirement there). */
export const API_PYPROJECT = `[project]
name = "api"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "fastapi>=0.110",
    "shared",
]

[tool.uv.sources]
shared = { workspace = true }
`;

/** services/api/api/main.py: line 1 is `import requests` (undeclared: PM001 at characters 7..15). */
export const API_MAIN = `import fastapi
import requests
from shared.util import helper


app = fastapi.FastAPI()
session = requests.Session()
print(helper())
`;

/** The files of the uv workspace fixture. */
export const UV_WORKSPACE: Record<string, string> = {
  'pyproject.toml': `[tool.uv.workspace]
members = ["libs/*", "services/*"]
`,
  'services/api/pyproject.toml': API_PYPROJECT,
  'services/api/api/__init__.py': '',
  'services/api/api/main.py': API_MAIN,
  'libs/shared/pyproject.toml': `[project]
name = "shared"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = []
`,
  'libs/shared/shared/__init__.py': '',
  'libs/shared/shared/util.py': `import os


def helper() -> str:
    return os.getcwd()
`,
};

/** A temp copy of UV_WORKSPACE (with `overrides` replacing or adding files) and the paths tests use. */
export function uvWorkspace(overrides: Record<string, string> = {}): { root: string; main: string; apiManifest: string; sharedManifest: string; util: string } {
  const root = makeTree({ ...UV_WORKSPACE, ...overrides });
  return {
    root,
    main: path.join(root, 'services', 'api', 'api', 'main.py'),
    apiManifest: path.join(root, 'services', 'api', 'pyproject.toml'),
    sharedManifest: path.join(root, 'libs', 'shared', 'pyproject.toml'),
    util: path.join(root, 'libs', 'shared', 'shared', 'util.py'),
  };
}
