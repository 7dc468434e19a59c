/*
 * plugin_store.h - plugin files stored by content.
 *
 * A plugin is loaded from DIR/<sha256>.so, never from the path an operator
 * or a tenant gave: the copy is made once (temporary file, fsync, rename,
 * mode 0444) and its name is the SHA-256 of its bytes. So a .so replaced
 * in place is a new file with a new name on the next load (dlopen of a
 * known name would return the old code), what runs is exactly what was
 * hashed (the source may change after the copy), and every answer can name
 * the hash of the code that produced it.
 *
 * Owns: the copy and its name. Does not own: which versions a tenant has
 * or uses (state/plugin_catalog.h), nor signature checks.
 */
#ifndef BH_PLUGIN_STORE_H
#define BH_PLUGIN_STORE_H

#include <stddef.h>
#include <stdint.h>

#define BH_PLUGIN_MAX_BYTES (64u * 1024 * 1024)

/*
 * Copies src into dir (created 0700 when missing) as <sha256>.so unless a
 * file of that name is there already. Writes the hash (64 hex + NUL) into
 * sha256 and the stored path into out (outlen bytes). Refuses files larger
 * than max_bytes (0: BH_PLUGIN_MAX_BYTES) and anything but a regular file.
 * 0, or a negative BATON_E* code with one line in err.
 */
int bh_plugin_store_put(const char *dir, const char *src, size_t max_bytes, char sha256[65],
                        char *out, size_t outlen, char *err, size_t errlen);

/* DIR/<sha256>.so into out; BATON_EINVAL if sha256 is not 64 lowercase hex. */
int bh_plugin_store_path(const char *dir, const char *sha256, char *out, size_t outlen);

#endif
