dnl SPDX-License-Identifier: Apache-2.0
dnl OV_CHECK_CFLAG(FLAG, ACTION-IF-OK): run ACTION-IF-OK when the C compiler
dnl accepts FLAG without a warning (tried with -Werror).
AC_DEFUN([OV_CHECK_CFLAG], [
	AC_MSG_CHECKING([whether $CC accepts $1])
	ov_save_CFLAGS="$CFLAGS"
	CFLAGS="$CFLAGS -Werror $1"
	AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
	    [AC_MSG_RESULT([yes]); $2], [AC_MSG_RESULT([no])])
	CFLAGS="$ov_save_CFLAGS"
])
