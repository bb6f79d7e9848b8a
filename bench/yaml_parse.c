/* The lower bound for `make bench`: read every file and run bare libyaml's
 * event parser over it (yaml_parser_parse until the stream ends; no tree,
 * no values converted), as jixiao must do at the very least.
 *
 *   cc -O2 -o yaml_parse bench/yaml_parse.c $(pkg-config --cflags --libs yaml-0.1)
 *   yaml_parse FILE...        or        yaml_parse -l LISTFILE
 *
 * Prints files, bytes, events, seconds and files/s (its own clock, from
 * before the first file is opened to after the last is parsed).  Exit 1
 * if a file cannot be read or does not parse. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static char *buf;
static size_t cap;

static long parse_file(const char *path, size_t *bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t len = 0, n;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	*bytes += len;

	yaml_parser_t p;
	yaml_event_t ev;
	long events = 0;
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "%s:%zu:%zu: %s\n", path, p.problem_mark.line + 1,
			        p.problem_mark.column + 1, p.problem ? p.problem : "parse error");
			yaml_parser_delete(&p);
			return -1;
		}
		events++;
		yaml_event_type_t t = ev.type;
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return events;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = argc - 1;
	char *list = NULL;
	if (argc == 3 && !strcmp(argv[1], "-l")) {
		FILE *lf = fopen(argv[2], "r");
		if (!lf) {
			perror(argv[2]);
			return 1;
		}
		size_t lcap = 0;
		int fcap = 0;
		nfiles = 0;
		files = NULL;
		ssize_t n;
		while ((n = getline(&list, &lcap, lf)) > 0) {
			while (n > 0 && (list[n - 1] == '\n' || list[n - 1] == '\r'))
				list[--n] = '\0';
			if (!n)
				continue;
			if (nfiles == fcap) {
				fcap = fcap ? fcap * 2 : 1024;
				char **nf = realloc(files, (size_t)fcap * sizeof(*files));
				if (!nf)
					return 1;
				files = nf;
			}
			files[nfiles++] = strdup(list);
		}
		fclose(lf);
	}
	if (nfiles < 1) {
		fprintf(stderr, "usage: yaml_parse FILE... | yaml_parse -l LISTFILE\n");
		return 2;
	}
	struct timespec t0, t1;
	size_t bytes = 0;
	long events = 0;
	int bad = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nfiles; i++) {
		long e = parse_file(files[i], &bytes);
		if (e < 0)
			bad++;
		else
			events += e;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("yaml_parse: %d files, %zu bytes, %ld events, %.4f s, %.0f files/s, %.1f MB/s\n",
	       nfiles, bytes, events, s, nfiles / s, (double)bytes / s / 1e6);
	free(buf);
	free(list);
	return bad ? 1 : 0;
}
