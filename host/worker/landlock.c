/*
 * landlock.c - the worker's Landlock domain (sandbox.h), through the raw
 * system calls: glibc has no wrappers, and the installed <linux/landlock.h>
 * may be older than the running kernel, so the rights of later ABIs are
 * spelt out here. Each ABI only ever adds rights; a right the kernel's ABI
 * does not know must not be named in the ruleset (EINVAL).
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "worker_proto.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13) /* ABI 2 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1) /* ABI 6 */
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* struct landlock_ruleset_attr as of ABI 6; older ABIs read a prefix. */
struct ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
};

/* Every file system right of ABI 1: bits 0 (EXECUTE) to 12 (MAKE_SYM). */
#define FS_ABI1 ((1ULL << 13) - 1)

/* The file system rights an ABI version knows. */
static uint64_t fs_rights(long abi)
{
    uint64_t fs = FS_ABI1;
    if (abi >= 2)
        fs |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3)
        fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5)
        fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return fs;
}

/* Allows access beneath path (a directory or a file); a path that does not
 * exist on this system is skipped. */
static int allow(int ruleset, const char *path, uint64_t access)
{
    struct landlock_path_beneath_attr rule = {0};
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
    rule.allowed_access = access;
    rule.parent_fd = fd;
    int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int err = errno;
    close(fd);
    return rc == 0 ? 0 : -err;
}

int bh_sandbox_landlock(const char *plugin_path, unsigned *in_force)
{
    static const char *const lib_dirs[] = {"/lib", "/lib64", "/usr/lib", "/usr/lib64"};
    const uint64_t read_file = LANDLOCK_ACCESS_FS_READ_FILE;
    const uint64_t read_tree = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    struct ruleset_attr attr = {0};
    size_t attr_size = sizeof attr.handled_access_fs;
    int rc = 0, ruleset;

    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1)
        return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -errno;
    attr.handled_access_fs = fs_rights(abi);
    if (abi >= 4) {
        attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
        attr_size = offsetof(struct ruleset_attr, scoped);
    }
    if (abi >= 6) {
        attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
        attr_size = sizeof attr;
    }
    ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
    if (ruleset < 0)
        return -errno;
    for (size_t i = 0; rc == 0 && i < sizeof lib_dirs / sizeof lib_dirs[0]; i++)
        rc = allow(ruleset, lib_dirs[i], read_tree);
    if (rc == 0)
        rc = allow(ruleset, "/etc/ld.so.cache", read_file);
    if (rc == 0)
        rc = allow(ruleset, plugin_path, read_file);
    if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
        rc = -errno;
    close(ruleset);
    if (rc == 0)
        *in_force |= BH_SANDBOX_LANDLOCK;
    return rc;
}
