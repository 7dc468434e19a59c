/*
 * command.h - how a baton CLI subcommand registers itself.
 *
 * Each subcommand lives in its own file (cmd_<name>.c) and registers with
 * BATON_COMMAND(name, function, one-line summary). main.c dispatches
 * "baton NAME ARGS..." to it with argv[0] = NAME. A command returns the
 * process exit status (see exit codes in main.c's --help).
 */
#ifndef BATON_CLI_COMMAND_H
#define BATON_CLI_COMMAND_H

typedef int (*baton_command_fn)(int argc, char **argv);

struct baton_command {
    const char *name;
    baton_command_fn run;
    const char *summary;
    struct baton_command *next;
};

void baton_command_register(struct baton_command *c);

#define BATON_COMMAND(cname, fn, text)                                                             \
    static struct baton_command command_##fn = {cname, fn, text, 0};                               \
    __attribute__((constructor)) static void register_##fn(void)                                   \
    {                                                                                              \
        baton_command_register(&command_##fn);                                                     \
    }

#endif
