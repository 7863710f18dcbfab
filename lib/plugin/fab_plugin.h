/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PLUGIN_H
#define FAB_PLUGIN_H

/**
 * @file
 * The plugin ABI of rocefab and its loader.
 *
 * A plugin is one policy (an ECN marker, a load balancer, later a congestion
 * control) behind a small ops table that takes whole bursts. It exports one
 * symbol, `fab_plugin_descriptor`, a `const struct fab_plugin_desc` that
 * names its ABI version, its size, name, version, kind and ops table
 * (FAB_PLUGIN_DEFINE() writes it). Plugins reach the host only through their
 * ops and the struct fab_plugin_host handed to create(); they have no
 * constructors.
 *
 * ABI rules: the first eight bytes of the descriptor (major, minor, size)
 * never move. A plugin loads when its major equals FAB_PLUGIN_ABI_MAJOR and
 * its minor is not above FAB_PLUGIN_ABI_MINOR. A minor release only appends
 * members (to the ops tables, or in place of reserved ones) and the host
 * reads a member only from plugins whose minor has it.
 *
 * The built-in policies (ecn-red, ecn-step, lb-ecmp, lb-spray, cc-dcqcn,
 * cc-none) are linked into this library as well and found by name before
 * any file is opened, so the default configuration never calls dlopen.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include <fab_pkt.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major version: a plugin of another major is refused. */
#define FAB_PLUGIN_ABI_MAJOR 1
/** ABI minor version: a plugin of a newer minor is refused. */
#define FAB_PLUGIN_ABI_MINOR 1
/** Name of the one symbol a shared-object plugin exports. */
#define FAB_PLUGIN_SYMBOL "fab_plugin_descriptor"
/** A plugin named NAME lives in the file FAB_PLUGIN_FILE_PREFIX NAME ".so". */
#define FAB_PLUGIN_FILE_PREFIX "fab_plugin_"
/** Longest plugin name. */
#define FAB_PLUGIN_NAME_MAX 64

/** What a plugin implements; decides the type of its ops table. */
enum fab_plugin_kind {
	FAB_PLUGIN_ECN = 1, /**< ECN marking: struct fab_ecn_ops */
	FAB_PLUGIN_LB = 2,  /**< load balancing over next-hop groups: struct fab_lb_ops */
	FAB_PLUGIN_CC = 3,  /**< congestion control of a RoCE NIC: struct fab_cc_ops */
};

/** Log levels a plugin passes to fab_plugin_host.log (rte_log's values). */
#define FAB_PLUGIN_LOG_ERR 4
#define FAB_PLUGIN_LOG_WARNING 5
#define FAB_PLUGIN_LOG_INFO 7
#define FAB_PLUGIN_LOG_DEBUG 8

/**
 * What the host offers a plugin, handed to create() in its conf. Control
 * path only: a plugin keeps no pointer to it for its data path.
 */
struct fab_plugin_host {
	uint16_t abi_major;
	uint16_t abi_minor;
	uint32_t size;
	/**
	 * Log a line (no trailing newline needed) under the host's
	 * rocefab.plugin log type, prefixed with @p plugin.
	 */
	void (*log)(uint32_t level, const char *plugin, const char *fmt, ...)
		__rte_format_printf(3, 4);
	/**
	 * Read @p key from a "key=value,key=value" string as an unsigned
	 * integer (decimal, or hex with 0x). Returns 0, -ENOENT when the key
	 * is absent, -EINVAL when its value is malformed.
	 */
	int (*arg_u64)(const char *args, const char *key, uint64_t *value);
	/** As arg_u64, for a floating-point value. */
	int (*arg_double)(const char *args, const char *key, double *value);
	/**
	 * Check that every key in @p args is one of @p keys (a NULL-terminated
	 * list) and every item has the form key=value. Returns 0, or -EINVAL
	 * with the offending item copied into @p bad.
	 */
	int (*arg_check)(const char *args, const char *const *keys,
			char *bad, size_t badlen);
	void *reserved[8];
};

/**
 * The descriptor a plugin exports. Write it with FAB_PLUGIN_DEFINE().
 */
struct fab_plugin_desc {
	uint16_t abi_major;      /**< FAB_PLUGIN_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;      /**< FAB_PLUGIN_ABI_MINOR the plugin was built with */
	uint32_t size;           /**< sizeof(struct fab_plugin_desc) as built */
	uint32_t kind;           /**< enum fab_plugin_kind */
	uint32_t flags;          /**< none defined: 0 */
	const char *name;        /**< "ecn-red": what configs name it by */
	const char *version;     /**< the plugin's own version, free-form */
	const char *description; /**< one line for listings */
	const void *ops;         /**< struct fab_ecn_ops or struct fab_lb_ops */
	void *reserved[8];       /**< room to grow within the major: zero */
};

/* ------------------------------------------------------------------ */
/* ECN marking                                                         */
/* ------------------------------------------------------------------ */

/** ECN settings of one traffic class. A policy reads what it needs. */
struct fab_ecn_class {
	bool enabled;         /**< false: never mark this class */
	uint32_t kmin_bytes;  /**< RED ramp start */
	uint32_t kmax_bytes;  /**< RED ramp end: everything above is marked */
	double pmax;          /**< RED probability at kmax_bytes */
	uint32_t k_bytes;     /**< step threshold (DCTCP's K) */
};

/** What an ECN policy is created from. */
struct fab_ecn_conf {
	uint64_t seed;        /**< seed of the policy's own PRNG */
	struct fab_ecn_class cls[FAB_NUM_PRIO];
	const char *args;     /**< free-form "key=value,..." for custom policies; may be NULL */
	const struct fab_plugin_host *host; /**< may be NULL: then the policy stays silent */
	void *reserved[4];
};

/**
 * Ops of an ECN policy. One decide() call covers a burst.
 */
struct fab_ecn_ops {
	/**
	 * Create the policy's state.
	 * @return the state, or NULL for a configuration it refuses (after
	 *   saying why through conf->host->log).
	 */
	void *(*create)(const struct fab_ecn_conf *conf);
	/** Free a state from create(); accepts NULL. */
	void (*free)(void *state);
	/**
	 * Decide for @p n ECN-capable packets. Packet i is in class cls[i]
	 * (below FAB_NUM_PRIO) and sees an egress queue of queue_bytes[i]
	 * bytes. Writes mark[i] = 1 to mark it CE, 0 otherwise, for every i.
	 * The host passes only ECT packets and applies the marks; decide()
	 * must not fail, allocate, block or log.
	 */
	void (*decide)(void *state, const uint8_t *cls, const uint32_t *queue_bytes,
			uint16_t n, uint8_t *mark);
	/**
	 * Since ABI 1.1; optional (NULL: decide() sees every ECT packet). The
	 * deepest queue, in bytes, at which decide() never marks a packet of
	 * class @p cls and leaves its state untouched (draws no random
	 * number): the host does not pass it packets that see at most that,
	 * as an ASIC compares the queue with its threshold before anything
	 * else. 0: no such depth. Asked once per egress port and class after
	 * create(); the answer must not change.
	 */
	uint32_t (*quiet_depth)(const void *state, uint8_t cls);
};

/* ------------------------------------------------------------------ */
/* Load balancing                                                      */
/* ------------------------------------------------------------------ */

struct fab_nh_group; /* lib/route: fab_route.h */

/** What a load-balancing policy is created from. */
struct fab_lb_conf {
	uint64_t seed;        /**< seed of the policy's own PRNG */
	uint32_t hash_seed;   /**< per-switch seed of the flow hash (decorrelates tiers) */
	const char *args;     /**< free-form "key=value,..."; may be NULL */
	const struct fab_plugin_host *host; /**< may be NULL */
	void *reserved[4];
};

/**
 * Ops of a load-balancing policy. One select() call covers a burst.
 */
struct fab_lb_ops {
	/** Create the policy's state; NULL for a configuration it refuses. */
	void *(*create)(const struct fab_lb_conf *conf);
	/** Free a state from create(); accepts NULL. */
	void (*free)(void *state);
	/**
	 * Pick a member for each of @p n packets: member[i] is an index into
	 * groups[i]->members, below groups[i]->n_members. The host passes only
	 * groups with at least one member. Must not fail, allocate, block or log.
	 */
	void (*select)(void *state, const struct fab_pkt_meta *const *pkts,
			const struct fab_nh_group *const *groups, uint16_t n,
			uint16_t *member);
};

/* ------------------------------------------------------------------ */
/* Congestion control                                                  */
/* ------------------------------------------------------------------ */

/** What a congestion-control policy is created from (one per host NIC). */
struct fab_cc_conf {
	uint64_t line_rate_bps; /**< the NIC's rate: the most a QP may send at */
	uint32_t mtu;         /**< RoCE payload per packet */
	uint64_t seed;        /**< seed of the policy's own PRNG, if it needs one */
	const char *args;     /**< "key=value,..." parameters; may be NULL */
	const struct fab_plugin_host *host; /**< may be NULL */
	void *reserved[4];
};

/** What happened to a QP, as congestion control sees it. */
enum fab_cc_event_kind {
	FAB_CC_EV_TX = 0,     /**< the QP sent a data packet of `bytes` payload (reaction point) */
	FAB_CC_EV_ACK,        /**< an ACK acknowledged `bytes`; `rtt_ps` is a sample or 0 */
	FAB_CC_EV_NAK,        /**< a NAK: the QP goes back */
	FAB_CC_EV_TIMEOUT,    /**< a retransmission timeout */
	FAB_CC_EV_CNP,        /**< a CNP arrived for the QP (reaction point) */
	FAB_CC_EV_CE,         /**< a CE-marked data packet arrived at the QP (notification point) */
};

/** One event. `flow` is the QP's state area of flow_size bytes. */
struct fab_cc_event {
	void *flow;
	uint64_t now_ps;
	uint32_t kind;        /**< enum fab_cc_event_kind */
	uint32_t bytes;
	uint64_t rtt_ps;
	uint64_t reserved;
};

/**
 * Ops of a congestion-control policy. The host keeps one state area of
 * flow_size bytes per QP (aligned to 8) and hands it back with every call;
 * a QP's reaction-point and notification-point state share that area.
 * Timers that tick per QP (DCQCN's alpha decay and rate increase) are
 * applied lazily when the host next asks for the rate: there is no timer
 * event per QP per period.
 */
struct fab_cc_ops {
	/** Create the policy's state; NULL for a configuration it refuses. */
	void *(*create)(const struct fab_cc_conf *conf);
	/** Free a state from create(); accepts NULL. */
	void (*free)(void *state);
	/** Bytes of per-QP state. */
	uint32_t flow_size;
	/** Initialise a QP's area at @p now_ps (it starts at line rate). */
	void (*flow_init)(void *state, void *flow, uint64_t now_ps);
	/**
	 * Take @p n events, oldest first. For each FAB_CC_EV_CE event write
	 * cnp[i] = 1 when the notification point sends a CNP now, else 0;
	 * cnp[i] is 0 for the other kinds. Must not fail, allocate, block or
	 * log.
	 */
	void (*on_events)(void *state, const struct fab_cc_event *ev, uint16_t n,
			uint8_t *cnp);
	/**
	 * The QP's sending rate at @p now_ps (bits per second, at most the
	 * line rate, above 0), after applying the timers due by then. Times
	 * passed in never decrease.
	 */
	uint64_t (*rate)(void *state, void *flow, uint64_t now_ps);
};

/* ------------------------------------------------------------------ */
/* Writing a plugin                                                    */
/* ------------------------------------------------------------------ */

#ifdef FAB_PLUGIN_BUILTIN
#define FAB_PLUGIN_DESC_SYMBOL_(id) fab_plugin_builtin_##id
#define FAB_PLUGIN_EXPORT_
#else
#define FAB_PLUGIN_DESC_SYMBOL_(id) fab_plugin_descriptor
#define FAB_PLUGIN_EXPORT_ __attribute__((visibility("default")))
#endif

/**
 * Define a plugin's descriptor. Use it once, at file scope, in the source
 * file that holds the ops table.
 *
 * Built as a shared object this exports `fab_plugin_descriptor`; built into
 * rocefab (with FAB_PLUGIN_BUILTIN defined) it defines
 * `fab_plugin_builtin_<id>` instead, so several plugins can be linked into
 * one program, as GStreamer's GST_PLUGIN_DEFINE does.
 *
 * @param id
 *   A C identifier for the plugin (ecn_red).
 * @param name_
 *   Its name as configs write it ("ecn-red").
 * @param version_
 *   Its version string.
 * @param kind_
 *   An enum fab_plugin_kind.
 * @param ops_
 *   Address of its ops table.
 * @param description_
 *   One line for listings.
 */
#define FAB_PLUGIN_DEFINE(id, name_, version_, kind_, ops_, description_) \
	FAB_PLUGIN_EXPORT_ extern const struct fab_plugin_desc \
		FAB_PLUGIN_DESC_SYMBOL_(id); \
	FAB_PLUGIN_EXPORT_ const struct fab_plugin_desc FAB_PLUGIN_DESC_SYMBOL_(id) = { \
		.abi_major = FAB_PLUGIN_ABI_MAJOR, \
		.abi_minor = FAB_PLUGIN_ABI_MINOR, \
		.size = sizeof(struct fab_plugin_desc), \
		.kind = (kind_), \
		.flags = 0, \
		.name = (name_), \
		.version = (version_), \
		.description = (description_), \
		.ops = (ops_), \
	}

/* ------------------------------------------------------------------ */
/* Loader                                                              */
/* ------------------------------------------------------------------ */

/** A loaded plugin (opaque). */
struct fab_plugin;

/**
 * Find and load a plugin.
 *
 * A name without a '/' is looked up among the built-in plugins first, then
 * as FAB_PLUGIN_FILE_PREFIX name ".so" in each directory of
 * @p search_path in order (the first file that exists is used; empty
 * entries are skipped). A name with a '/' is a path to the shared object.
 * Files are opened with dlopen(RTLD_NOW | RTLD_LOCAL).
 *
 * The descriptor is checked before anything else is read: a plugin of
 * another ABI major, or of a newer minor, is refused with a message that
 * names both versions ("plugin ecn-foo: ABI 2.0, rocefab supports 1.0").
 * Then its size, kind (must be @p kind), name (must match the file's when
 * found by name) and ops table are checked.
 *
 * @param name_or_path
 *   Plugin name ("ecn-red") or path to a shared object.
 * @param search_path
 *   Colon-separated directories, like PATH; may be NULL or empty.
 * @param kind
 *   The kind the caller needs.
 * @param err
 *   Buffer for a one-line reason on failure; may be NULL.
 * @param errlen
 *   Size of @p err.
 * @return
 *   A handle, or NULL with rte_errno set: EINVAL (bad argument, bad name,
 *   wrong kind), ENOENT (not found), ENAMETOOLONG, ELIBBAD (dlopen failed),
 *   ENOEXEC (no descriptor, or a malformed one), ENOTSUP (ABI version),
 *   ENOMEM.
 */
struct fab_plugin *fab_plugin_load(const char *name_or_path, const char *search_path,
		enum fab_plugin_kind kind, char *err, size_t errlen);

/**
 * fab_plugin_load() with the search path as a list of directories, as a
 * configuration file holds it (a directory may then contain ':').
 *
 * @param name_or_path
 *   Plugin name or path to a shared object.
 * @param dirs
 *   Directories searched in order; NULL entries are skipped; may be NULL
 *   when @p n_dirs is 0.
 * @param n_dirs
 *   Number of entries in @p dirs.
 * @param kind
 *   The kind the caller needs.
 * @param err
 *   Buffer for a one-line reason on failure; may be NULL.
 * @param errlen
 *   Size of @p err.
 * @return
 *   As fab_plugin_load().
 */
struct fab_plugin *fab_plugin_load_dirs(const char *name_or_path, const char *const *dirs,
		unsigned int n_dirs, enum fab_plugin_kind kind, char *err, size_t errlen);

/**
 * Unload a plugin. Every state its create() returned must have been freed
 * first: its code goes away with it.
 *
 * @param plugin
 *   A handle from fab_plugin_load(), or NULL.
 */
void fab_plugin_unload(struct fab_plugin *plugin);

/**
 * The plugin's descriptor.
 *
 * @param plugin
 *   A loaded plugin.
 * @return
 *   Its descriptor, valid until fab_plugin_unload().
 */
const struct fab_plugin_desc *fab_plugin_get_desc(const struct fab_plugin *plugin);

/**
 * The ops table of an ECN plugin.
 *
 * @param plugin
 *   A loaded plugin.
 * @return
 *   Its ops, or NULL if it is not an ECN plugin.
 */
const struct fab_ecn_ops *fab_plugin_ecn_ops(const struct fab_plugin *plugin);

/**
 * The depth at or below which an ECN plugin's state @p state never marks
 * class @p cls (fab_ecn_ops.quiet_depth), read only from a plugin whose ABI
 * minor has that member.
 *
 * @return
 *   That depth in bytes, or 0 when the plugin gives none.
 */
uint32_t fab_plugin_ecn_quiet_depth(const struct fab_plugin *plugin, const void *state,
		uint8_t cls);

/**
 * The ops table of a load-balancing plugin.
 *
 * @param plugin
 *   A loaded plugin.
 * @return
 *   Its ops, or NULL if it is not a load-balancing plugin.
 */
const struct fab_lb_ops *fab_plugin_lb_ops(const struct fab_plugin *plugin);

/**
 * The ops of a congestion-control plugin.
 *
 * @return the ops, or NULL if the plugin is of another kind.
 */
const struct fab_cc_ops *fab_plugin_cc_ops(const struct fab_plugin *plugin);

/**
 * Whether the plugin is a built-in one (no shared object behind it).
 *
 * @param plugin
 *   A loaded plugin.
 * @return
 *   true for a built-in plugin.
 */
bool fab_plugin_is_builtin(const struct fab_plugin *plugin);

/**
 * Where the plugin was loaded from.
 *
 * @param plugin
 *   A loaded plugin.
 * @return
 *   The shared object's path, or "built-in".
 */
const char *fab_plugin_path(const struct fab_plugin *plugin);

/**
 * The built-in plugins, for listings.
 *
 * @param index
 *   0, 1, ...
 * @return
 *   The descriptor of built-in plugin @p index, or NULL past the last.
 */
const struct fab_plugin_desc *fab_plugin_builtin_get(unsigned int index);

/**
 * The host table rocefab hands to plugins: logging through rte_log under
 * the type rocefab.plugin and the key=value argument helpers.
 *
 * @return
 *   A static table, valid for the life of the program.
 */
const struct fab_plugin_host *fab_plugin_host_default(void);

/**
 * Name of a plugin kind.
 *
 * @param kind
 *   An enum fab_plugin_kind.
 * @return
 *   "ecn", "lb", "cc", or "unknown".
 */
const char *fab_plugin_kind_name(enum fab_plugin_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* FAB_PLUGIN_H */
