#!/usr/bin/env python3
"""Write a root filesystem tarball for `docker import`, made of files this
machine already has: the Debian packages named on the command line, every
package they depend on (recursively, as installed here), and a skeleton
directory of our own laid over them.

Why not `debootstrap` + `apt-get install` in a `docker build`: that
downloads a second copy of Erlang and friends on every CI run (five
minutes measured); these files are on the machine already, installed from
the same Debian archive, and a tarball of them takes a few seconds.

    rootfs.py OUT.tar SKELETON_DIR PACKAGE...

A package name may end in `:nodeps` to take only its own files (the NATS
image is one static-like binary and libc, like the official scratch image).
Paths under /etc/<name> for the brokers' own configuration are left out:
the skeleton brings the image's own, so nothing of this machine's setup
leaks into an image.
"""

import os
import subprocess
import sys

# Paths never copied: documentation, translations, and this machine's own
# broker configuration (the skeleton supplies the image's).
SKIP_PREFIXES = (
    "/usr/share/doc/",
    "/usr/share/man/",
    "/usr/share/info/",
    "/usr/share/locale/",
    "/usr/share/lintian/",
    "/etc/rabbitmq/",
    "/etc/mosquitto/",
    "/etc/redis/",
    "/etc/nats-server",
)

# Files that no package lists but a running system needs.
EXTRA_FILES = (
    "/etc/ld.so.cache",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
)


def installed():
    """name -> (depends text, provides list) for every installed package."""
    out = subprocess.run(
        [
            "dpkg-query",
            "-W",
            "-f=${Package}\t${db:Status-Abbrev}\t${Provides}\t${Pre-Depends}, ${Depends}\n",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    packages, providers = {}, {}
    for line in out.splitlines():
        name, status, provides, depends = (line.split("\t") + ["", "", ""])[:4]
        if not status.startswith("ii"):
            continue
        packages[name] = depends
        for virtual in provides.split(","):
            virtual = virtual.strip().split(" ")[0]
            if virtual:
                providers.setdefault(virtual, name)
    return packages, providers


def closure(roots, packages, providers):
    """The roots and everything they depend on, as installed here."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            sys.exit(f"rootfs: {name} is not installed on this machine (apt-get install {name})")
        seen.add(name)
        for group in packages[name].split(","):
            group = group.strip()
            if not group:
                continue
            for alternative in group.split("|"):
                dep = alternative.strip().split(" ")[0].split(":")[0]
                real = dep if dep in packages else providers.get(dep)
                if real:
                    todo.append(real)
                    break
    return seen


def canonical(path):
    """The path with its directories' symlinks resolved (merged /usr), the
    last component kept as it is so symlinks stay symlinks."""
    head, tail = os.path.split(path)
    return os.path.join(os.path.realpath(head), tail)


def files_of(names):
    out = subprocess.run(["dpkg", "-L", *sorted(names)], check=True, capture_output=True, text=True)
    paths = set()
    for line in out.stdout.splitlines():
        path = line.strip()
        if not path.startswith("/") or path == "/." or " " in path:
            continue
        if path.startswith(SKIP_PREFIXES) or not os.path.lexists(path):
            continue
        paths.add(canonical(path))
    return paths


def main():
    out, skeleton, *wanted = sys.argv[1:]
    packages, providers = installed()
    with_deps = [w for w in wanted if not w.endswith(":nodeps")]
    alone = [w.removesuffix(":nodeps") for w in wanted if w.endswith(":nodeps")]
    names = closure(with_deps, packages, providers) | set(alone)
    paths = files_of(names)
    if with_deps:
        paths |= {p for p in EXTRA_FILES if os.path.exists(p)}
    # Parents first, each once; merged-/usr links at the top.
    full = set()
    for path in paths:
        full.add(path)
        parent = os.path.dirname(path)
        while parent != "/":
            full.add(parent)
            parent = os.path.dirname(parent)
    for link in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(link):
            full.add(link)
    # The skeleton's own paths win over the machine's (a tar must not hold
    # one path twice).
    ours = set()
    for top, dirs, files in os.walk(skeleton):
        for name in dirs + files:
            ours.add(os.path.relpath(os.path.join(top, name), skeleton))
    full = {p for p in full if p.lstrip("/") not in ours}
    listing = out + ".list"
    for base, paths in (("/", sorted(p.lstrip("/") for p in full)), (skeleton, sorted(ours))):
        with open(listing, "w") as f:
            for path in paths:
                f.write(path + "\0")
        mode = "-cf" if base == "/" else "-rf"
        subprocess.run(
            ["tar", "-C", base, "--no-recursion", "--null", "-T", listing, mode, out],
            check=True,
        )
    os.remove(listing)
    print(f"{out}: {len(names)} packages, {len(full)} paths")


if __name__ == "__main__":
    main()
