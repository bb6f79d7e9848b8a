/* A cmocka group fixture shared by the writer tests: the default scheme,
 * the example evaluated against it, and a private temporary directory
 * that is emptied and removed at the end. */
#ifndef JX_TEST_EXAMPLE_FIXTURE_H
#define JX_TEST_EXAMPLE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "jixiao/jixiao.h"
#include "slurp.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

typedef struct fixture {
	jx_scheme *s;
	jx_doc *doc;
	jx_diags *d;
	char dir[64];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->d = jx_diags_new(NULL);
	f->s = jx_scheme_load_file(SRCDIR "/schemes/hunan-dept-overall.yaml", NULL, f->d);
	if (f->s)
		f->doc = jx_doc_load_file(f->s, SRCDIR "/examples/beita-2023.yaml", NULL, f->d);
	if (!f->doc || jx_doc_evaluate(f->doc, f->d) != JX_OK) {
		fprintf(stderr, "the example did not load\n");
		return -1;
	}
	snprintf(f->dir, sizeof f->dir, "/tmp/jixiao-test.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char path[512];
	DIR *dir = opendir(f->dir);
	for (struct dirent *e; dir && (e = readdir(dir));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
		unlink(path);
	}
	if (dir)
		closedir(dir);
	rmdir(f->dir);
	jx_doc_free(f->doc);
	jx_scheme_free(f->s);
	jx_diags_free(f->d);
	free(f);
	return 0;
}

#endif
