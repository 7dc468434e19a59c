/*
 * main.c - the baton CLI's entry: dispatches "baton COMMAND ..." to the
 * subcommand registered under that name (see command.h).
 */
#include <stdio.h>
#include <string.h>

#include "baton/plugin.h"
#include "cli_util.h"
#include "command.h"

static struct baton_command *commands;

void baton_command_register(struct baton_command *c)
{
    /* Keep the list sorted by name so --help reads well. */
    struct baton_command **p = &commands;
    while (*p != NULL && strcmp((*p)->name, c->name) < 0)
        p = &(*p)->next;
    c->next = *p;
    *p = c;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: baton COMMAND [ARGS...]\n\n"
                 "Baton's command-line tool: keys, handoff packages, receipts,\n"
                 "offline evaluations and letters, plugin checks.\n\n"
                 "commands:\n");
    for (const struct baton_command *c = commands; c != NULL; c = c->next)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out, "\n%s", cu_exit_help);
    fprintf(out, "\n'baton COMMAND --help' describes one command, its options and exit codes.\n"
                 "'baton --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("baton %s (SDK %d.%d)\n", BATON_VERSION, BATON_SDK_MAJOR, BATON_SDK_MINOR);
        return 0;
    }
    for (const struct baton_command *c = commands; c != NULL; c = c->next) {
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "baton: unknown command '%s' (see 'baton --help')\n", argv[1]);
    return 2;
}
