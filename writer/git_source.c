/*
 * Sources taken from a git revision instead of the working tree, so a trace recorded from a
 * build of commit X shows the code of commit X even after the files changed. The only file that
 * uses libgit2 (whose own allocations do not go through the handle's allocator).
 */
#include "git_source.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

#define MAX_LINK_HOPS 8

struct ct__git_source {
    ct_allocator alloc;
    git_repository *repo;
    git_tree *tree;
    git_blob *blob;                  /* the last blob returned */
    char workdir[PATH_MAX];          /* as libgit2 reports it, ending in '/' */
    char realwd[PATH_MAX];           /* its realpath, ending in '/' */
    char rev[128];                   /* for messages */
};

static const char *git_message(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

static ct_status find_tree(ct__git_source *g, const char *repo_dir, ct_error *err)
{
    git_object *obj = NULL, *tree = NULL;
    if (git_revparse_single(&obj, g->repo, g->rev) != 0)
        return ct__error_set(err, CT_EINVAL, "%s: git revision '%s' not found: %s", repo_dir,
                             g->rev, git_message());
    if (git_object_peel(&tree, obj, GIT_OBJECT_TREE) != 0) {
        git_object_free(obj);
        return ct__error_set(err, CT_EINVAL, "%s: git revision '%s' has no tree: %s", repo_dir,
                             g->rev, git_message());
    }
    git_object_free(obj);
    g->tree = (git_tree *)tree;
    return CT_OK;
}

static ct_status open_repo(ct__git_source *g, const char *repo_dir, ct_error *err)
{
    const char *wd;
    if (git_repository_open_ext(&g->repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return ct__error_set(err, CT_EINVAL, "%s: not a git repository: %s", repo_dir,
                             git_message());
    wd = git_repository_workdir(g->repo);
    if (!wd)
        return ct__error_set(err, CT_EINVAL, "%s: git repository has no work tree", repo_dir);
    if (strlen(wd) + 2 > sizeof g->workdir)
        return ct__error_set(err, CT_EINVAL, "%s: path too long", repo_dir);
    snprintf(g->workdir, sizeof g->workdir, "%s", wd);
    if (!realpath(wd, g->realwd))
        return ct__error_errno(err, CT_EIO, "%s", wd);
    if (strcmp(g->realwd, "/") != 0)
        strcat(g->realwd, "/");
    return find_tree(g, repo_dir, err);
}

ct_status ct__git_source_open(ct__git_source **out, const char *repo_dir, const char *rev,
                              const ct_allocator *a, ct_error *err)
{
    ct_allocator alloc = ct__allocator_or_default(a);
    ct__git_source *g;
    ct_status rc;
    *out = NULL;
    if (rev && strlen(rev) >= sizeof g->rev)
        return ct__error_set(err, CT_EINVAL, "git revision '%.64s...': too long", rev);
    g = ct__calloc(&alloc, 1, sizeof *g);
    if (!g)
        return ct__error_set(err, CT_ENOMEM, "%s: out of memory", repo_dir);
    g->alloc = alloc;
    snprintf(g->rev, sizeof g->rev, "%s", rev ? rev : "HEAD");
    if (git_libgit2_init() < 0) {
        ct__free(&alloc, g, sizeof *g);
        return ct__error_set(err, CT_ERROR, "libgit2 initialisation failed");
    }
    rc = open_repo(g, repo_dir, err);
    if (rc < 0) {
        ct__git_source_close(g);
        return rc;
    }
    *out = g;
    return CT_OK;
}

void ct__git_source_close(ct__git_source *g)
{
    ct_allocator a;
    if (!g)
        return;
    a = g->alloc;
    git_blob_free(g->blob);
    git_tree_free(g->tree);
    git_repository_free(g->repo);
    git_libgit2_shutdown();
    ct__free(&a, g, sizeof *g);
}

/* Lexically clean `p` in place (relative or absolute): drop "" and "." components, ".." pops.
 * Returns false when ".." would climb above the start. The write position never passes the
 * read position, so the separator is written before a component, never after it. */
static bool clean_path(char *p)
{
    char *base = *p == '/' ? p + 1 : p;
    char *w = base, *r = base;
    while (*r) {
        char *s = r;
        size_t cl;
        while (*r && *r != '/')
            r++;
        cl = (size_t)(r - s);
        if (*r)
            r++;
        if (cl == 0 || (cl == 1 && s[0] == '.'))
            continue;
        if (cl == 2 && s[0] == '.' && s[1] == '.') {
            if (w == base)
                return false;
            while (w > base && *--w != '/')
                ;
            continue;
        }
        if (w > base)
            *w++ = '/';
        memmove(w, s, cl);
        w += cl;
    }
    *w = '\0';
    return true;
}

static const char *strip_prefix(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 ? path + n : NULL;
}

/* The path relative to the work tree into `rel`, or false when outside it. */
static bool relative_to_workdir(const ct__git_source *g, const char *path, char *rel, size_t cap)
{
    char abs[PATH_MAX], parent[PATH_MAX], real[PATH_MAX];
    const char *r, *slash;
    if (path[0] == '/')
        snprintf(abs, sizeof abs, "%s", path);
    else if (!getcwd(parent, sizeof parent) ||
             snprintf(abs, sizeof abs, "%s/%s", parent, path) >= (int)sizeof abs)
        return false;
    if (!clean_path(abs))
        return false;
    r = strip_prefix(abs, g->workdir);
    if (!r)
        r = strip_prefix(abs, g->realwd);
    slash = strrchr(abs, '/');
    if (!r && slash && slash > abs) {
        /* The folder may be reached through a symlink: compare resolved folders. */
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - abs), abs);
        if (realpath(parent, real) &&
            snprintf(parent, sizeof parent, "%s%s", real, slash) < (int)sizeof parent)
            r = strip_prefix(parent, g->realwd);
    }
    if (!r || !*r || snprintf(rel, cap, "%s", r) >= (int)cap)
        return false;
    return true;
}

static ct_status link_escapes(const ct__git_source *g, const char *path, ct_error *err)
{
    return ct__error_set(err, CT_EINVAL,
                         "%s: symlink in git revision %s points outside the repository; refused",
                         path, g->rev);
}

/* Replace `rel` (a symlink in the tree) by its target, refusing absolute targets and targets
 * that climb above the root of the tree. */
static ct_status follow_link(const ct__git_source *g, char *rel, size_t cap, const git_blob *b,
                             const char *path, ct_error *err)
{
    const char *target = git_blob_rawcontent(b);
    size_t tl = (size_t)git_blob_rawsize(b), dl;
    const char *slash = strrchr(rel, '/');
    dl = slash ? (size_t)(slash - rel) + 1 : 0;   /* the link's folder, with its '/' */
    if (tl == 0 || target[0] == '/' || dl + tl + 1 > cap || memchr(target, '\0', tl))
        return link_escapes(g, path, err);
    memcpy(rel + dl, target, tl);
    rel[dl + tl] = '\0';
    if (!clean_path(rel) || !*rel)
        return link_escapes(g, path, err);
    return CT_OK;
}

/* One lookup: CT_OK with the blob in *out (caller frees), CT_DONE when absent. `why` gets the
 * reason of a CT_DONE. */
static ct_status lookup_blob(ct__git_source *g, const char *rel, git_blob **out, bool *link,
                             const char *path, char *why, size_t why_cap, ct_error *err)
{
    git_tree_entry *e = NULL;
    int grc = git_tree_entry_bypath(&e, g->tree, rel);
    git_object_t type;
    *out = NULL;
    if (grc == GIT_ENOTFOUND) {
        snprintf(why, why_cap, "not in git revision %s of %s", g->rev, g->workdir);
        return CT_DONE;
    }
    if (grc != 0)
        return ct__error_set(err, CT_EIO, "%s: git lookup failed: %s", path, git_message());
    type = git_tree_entry_type(e);
    *link = git_tree_entry_filemode(e) == GIT_FILEMODE_LINK;
    if (type == GIT_OBJECT_BLOB)
        grc = git_blob_lookup(out, g->repo, git_tree_entry_id(e));
    git_tree_entry_free(e);
    if (type == GIT_OBJECT_COMMIT) {
        snprintf(why, why_cap, "a submodule in git revision %s of %s", g->rev, g->workdir);
        return CT_DONE;
    }
    if (type != GIT_OBJECT_BLOB)
        return ct__error_set(err, CT_EINVAL, "%s: a folder in git revision %s, not a file", path,
                             g->rev);
    if (grc != 0)
        return ct__error_set(err, CT_EIO, "%s: cannot read git blob: %s", path, git_message());
    return CT_OK;
}

ct_status ct__git_source_read(ct__git_source *g, const char *path, bool *inside,
                              const void **data, size_t *len, char *why, size_t why_cap,
                              ct_error *err)
{
    char rel[PATH_MAX];
    int hop;
    git_blob_free(g->blob);
    g->blob = NULL;
    *inside = relative_to_workdir(g, path, rel, sizeof rel);
    if (!*inside)
        return CT_OK;
    for (hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        git_blob *b;
        bool link = false;
        ct_status rc = lookup_blob(g, rel, &b, &link, path, why, why_cap, err);
        if (rc != CT_OK)
            return rc;
        if (!link) {
            g->blob = b;
            *data = git_blob_rawcontent(b);
            *len = (size_t)git_blob_rawsize(b);
            return CT_OK;
        }
        rc = follow_link(g, rel, sizeof rel, b, path, err);
        git_blob_free(b);
        if (rc < 0)
            return rc;
    }
    return ct__error_set(err, CT_EINVAL, "%s: too many symlinks in git revision %s", path,
                         g->rev);
}
