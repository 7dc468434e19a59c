/*
 * scaffold_templates.h - the texts of the files `baton plugin new` writes
 * (scaffold_templates.c), each a NULL-terminated list of pieces with
 * @PLACEHOLDER@s that cmd_plugin_new.c replaces.
 */
#ifndef BATON_SCAFFOLD_TEMPLATES_H
#define BATON_SCAFFOLD_TEMPLATES_H

/* NAME.c: the plugin */
extern const char *const SCAFFOLD_SOURCE[];
/* CMakeLists.txt: find_package(baton-sdk) build and ctest checks */
extern const char *const SCAFFOLD_CMAKE[];
/* Makefile: the pkg-config build */
extern const char *const SCAFFOLD_MAKEFILE[];
/* ci.sh: both builds, both checks */
extern const char *const SCAFFOLD_CI[];
/* README.md */
extern const char *const SCAFFOLD_README[];
/* examples/case.json and the golden cases' case.json (@CASE_ID@, and
 * @AGREEMENT@: the agreement among the documents, or nothing) */
extern const char *const SCAFFOLD_CASE[];

#endif
