/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VP_COMMANDS_H
#define VP_COMMANDS_H

/* Each returns the process exit code. */
int cmd_inspect(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_capture(int argc, char **argv);

#endif
