/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_REPORT_H
#define OV_REPORT_H
#endif
