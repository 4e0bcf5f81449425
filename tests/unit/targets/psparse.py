"""PowerShell source analysis for tests: tree-sitter parse errors and the cmdlets/parameters a script uses.

PowerShell cannot run here (no pwsh in Debian); this parse, the cmdlet table and the WinRM stand-in are
the evidence that the project's scripts are well-formed and use only documented cmdlets and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

_PARSER = Parser(Language(tree_sitter_powershell.language()))


def parse(text: str):
    return _PARSER.parse(text.encode("utf-8"))


def syntax_problems(text: str) -> list[str]:
    """ERROR and MISSING nodes with their line numbers (1-based) and text."""
    tree = parse(text)
    out: list[str] = []

    def walk(node: Node) -> None:
        if node.type == "ERROR" or node.is_missing:
            snippet = node.text.decode("utf-8", "replace")[:60] if node.text else ""
            out.append(f"line {node.start_point[0] + 1}: {'MISSING ' + node.type if node.is_missing else 'ERROR'} "
                       f"{snippet!r}")
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return out


@dataclass
class CommandUse:
    name: str
    line: int
    parameters: set[str] = field(default_factory=set)


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _splat_keys(root: Node, var: str) -> set[str]:
    """Keys of ``$var = @{...}`` literals and ``$var.Key = ...`` assignments anywhere in the script."""
    keys: set[str] = set()
    for node in _walk(root):
        if node.type != "assignment_expression" or not node.children:
            continue
        left = node.children[0].text.decode()
        if left.lower() == f"${var}".lower():
            right = node.children[-1]
            for sub in _walk(right):
                if sub.type == "hash_entry":
                    key = next((c for c in sub.children if c.type == "key_expression"), None)
                    if key is not None:
                        keys.add(key.text.decode().strip())
        elif left.lower().startswith(f"${var}.".lower()):
            keys.add(left.split(".", 1)[1].strip())
    return keys


def functions_defined(text: str) -> set[str]:
    names = set()
    for node in _walk(parse(text).root_node):
        if node.type == "function_statement":
            name = next((c for c in node.children if c.type == "function_name"), None)
            if name is not None:
                names.add(name.text.decode())
    return names


def commands_used(text: str) -> list[CommandUse]:
    """Every command invocation with the parameters it is given (splatted hashtables resolved)."""
    root = parse(text).root_node
    uses: list[CommandUse] = []
    for node in _walk(root):
        if node.type != "command":
            continue
        name_node = next((c for c in node.children if c.type == "command_name"), None)
        if name_node is None:
            continue  # & $scriptblock
        use = CommandUse(name_node.text.decode(), node.start_point[0] + 1)
        elements = next((c for c in node.children if c.type == "command_elements"), None)
        if elements is not None:
            for el in elements.children:
                if el.type == "command_parameter":
                    use.parameters.add(el.text.decode().lstrip("-").rstrip(":"))
                else:
                    token = el.text.decode().strip()
                    if token.startswith("@") and token[1:2] not in ("{", "(", "'", '"'):
                        use.parameters |= _splat_keys(root, token[1:])
        uses.append(use)
    return uses
