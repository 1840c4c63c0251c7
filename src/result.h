/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OV_RESULT_H
#define OV_RESULT_H
#endif
