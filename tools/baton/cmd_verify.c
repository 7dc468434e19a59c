/*
 * cmd_verify.c - "baton verify": every check of "baton open", nothing
 * written (implemented in cmd_open.c).
 */
#include "cli_util.h"
#include "command.h"

static int run(int argc, char **argv)
{
    return cu_open_main(argc, argv, CU_VERIFY);
}

BATON_COMMAND("verify", run, "check a handoff package without writing anything")
