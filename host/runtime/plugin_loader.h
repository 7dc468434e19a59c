/*
 * plugin_loader.h - opening one plugin .so and checking its descriptor.
 *
 * bh_plugin_open dlopens the file (RTLD_NOW | RTLD_LOCAL), finds the single
 * entry function baton_plugin_entry, and checks the descriptor it returns:
 * magic, SDK major (must equal the host's), SDK minor (must be <= the
 * host's), struct_size (must cover every field of the minor it claims),
 * name/version/scope present and well formed, capability tables well formed.
 * On any refusal the handle is closed again, so nothing of the plugin stays
 * loaded, and err holds one line naming the file, what it was built against
 * and what the host offers.
 */
#ifndef BH_PLUGIN_LOADER_H
#define BH_PLUGIN_LOADER_H

#include <stddef.h>

#include "baton/plugin.h"

typedef struct bh_plugin bh_plugin;

/*
 * The one rule for a plugin's name (descriptor .name), which the loader
 * enforces and `baton plugin new` applies: 1 to BH_PLUGIN_NAME_MAX
 * characters a-z, 0-9 and '-', starting with a letter and not ending with
 * '-'. Names become file names, URL path segments and metric labels.
 */
#define BH_PLUGIN_NAME_MAX 32
#define BH_PLUGIN_NAME_RULE                                                                        \
    "1 to 32 characters a-z, 0-9 and '-', starting with a letter, not ending with '-'"
int bh_plugin_name_valid(const char *name);

/* Opens and checks path. On success *out is the plugin; the caller closes it
 * with bh_plugin_close. */
int bh_plugin_open(const char *path, bh_plugin **out, char *err, size_t errlen);
void bh_plugin_close(bh_plugin *p);

const baton_plugin *bh_plugin_desc(const bh_plugin *p);
const char *bh_plugin_path(const bh_plugin *p);

/* Size the host requires for a descriptor of a given SDK minor. */
size_t bh_plugin_required_size(unsigned sdk_minor);

#endif
