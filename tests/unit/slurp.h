/* Reading a whole test file, shared by the unit tests. */
#ifndef JX_TEST_SLURP_H
#define JX_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* A whole file, NUL-terminated (caller frees); NULL if unreadable. */
__attribute__((unused)) static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf)
		buf[n] = 0;
	*len = buf ? (size_t)n : 0;
	return buf;
}

#endif
