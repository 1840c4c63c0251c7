/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_CLI_H
#define OV_CLI_H
#endif
