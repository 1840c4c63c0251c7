/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdlib.h>

#include "harness.h"

int
main(void)
{
	SKIP("not written yet");
}
