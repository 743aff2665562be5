# ReliefWorks front cache: Varnish 7 with varnish-modules' xkey (Debian: apt-get install
# varnish varnish-modules). Django decides what is shareable; this file only follows it:
#   - caches only responses marked "Cache-Control: public, s-maxage=N", tagged by their
#     "xkey" header, and drops them when the application purges those tags (frontcache/);
#   - passes every visitor who has state of their own (session, basket or messages cookie:
#     SESSION_COOKIE_NAME, OSCAR_BASKET_COOKIE_OPEN and Django's cookie message storage in
#     config/settings.py), who keep their per-visitor copies inside Django;
#   - ignores cookies that do not change the page (consent, analytics, the CSRF cookie,
#     whose token the page fetches from /session/csrf/), so they do not defeat caching;
#   - normalises the query string (drops tracking parameters, sorts the rest);
#   - serves a stale copy while fetching a fresh one, and for a day while the backend is down;
#   - accepts purges only from the application hosts (acl purgers).
# Adapt the two marked places (backends, acl purgers) to the deployment; nothing else is
# site-specific. Check with: varnishd -C -f /etc/varnish/default.vcl >/dev/null
vcl 4.1;

import std;
import cookie;
import directors;
import xkey;

# --- site-specific: the gunicorn instances (add one backend per instance) ------------------
backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/healthz";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        # Healthy from the start: a restarted Varnish answers at once instead of 503s
        # until the first probes come back.
        .initial = 3;
    }
}

# --- site-specific: the hosts allowed to purge (the application servers, never the load
# balancer: requests it forwards would arrive from its address) -----------------------------
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (req.http.xkey-purge) {
            # Tags, space-separated: every object carrying any of them is dropped.
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        if (req.http.X-Purge-All == "1") {
            # After a deploy (templates, CSS names changed): everything, at once.
            ban("obj.status != 0");
            return (synth(200, "Purged everything"));
        }
        # A single URL (req.url on req.http.host), as Wagtail's HTTP backend sends it.
        return (purge);
    }

    # Tags are set by the application only; a client must not smuggle any in.
    unset req.http.xkey;
    unset req.http.xkey-purge;
    unset req.http.X-Purge-All;

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Staff tools, the visitor's own pages and endpoints that hand out tokens.
    if (req.url ~ "^/(cms|dashboard|django-admin|session|shop/(basket|checkout|accounts|wishlists))(/|$)") {
        return (pass);
    }

    # Tracking parameters change nothing on the page: one copy for every campaign link.
    if (req.url ~ "[?&](utm_[^=&]*|fbclid|gclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl)(=|&|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[^=&]*|fbclid|gclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);

    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        # Visitors with state of their own are served by Django (their mini cart, messages).
        if (cookie.isset("sessionid") || cookie.isset("oscar_open_basket") || cookie.isset("messages")) {
            return (pass);
        }
        cookie.filter_re("^(consent|csrftoken|_ga|_ga_.*|_gid|_gat.*|_gcl_.*|_fbp|_fbc)$");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        } else {
            # A cookie we do not know: the page may depend on it.
            return (pass);
        }
    }

    # Grace: a healthy backend refreshes a stale copy in the background within seconds of
    # expiry; a sick one leaves the full grace (vcl_backend_response) to be served.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    # The load balancer terminates TLS: an http:// redirect must not answer https://.
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Only what Django marks shareable; everything else is fetched for each request (the
    # decision is remembered for two minutes so such requests do not queue behind each other).
    if (beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control !~ "s-maxage=[1-9]"
        || beresp.http.Cache-Control ~ "private|no-store|no-cache"
        || beresp.http.Set-Cookie ~ "(^|,)\s*(sessionid|oscar_open_basket|messages)=") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A shared copy must not hand one visitor's CSRF cookie to everyone.
    unset beresp.http.Set-Cookie;
    # The TTL comes from s-maxage; stale copies are kept for a day for grace.
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_synth {
    if (req.method == "PURGE") {
        # A one-line answer the application logs (frontcache/purge.py).
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

sub vcl_deliver {
    # Tags are for Varnish only; browsers and any cache downstream must not keep a copy that
    # a purge cannot reach.
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } else {
        set resp.http.Cache-Control = "no-cache";
        if (obj.hits > 0) {
            set resp.http.X-Cache = "HIT";
        } else {
            set resp.http.X-Cache = "MISS";
        }
    }
    return (deliver);
}
