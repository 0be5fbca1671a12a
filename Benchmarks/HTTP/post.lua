-- wrk -s HTTP/post.lua: the benchmark's request as a `POST` with a small JSON body (bench-http.sh
-- uses it for the modes ending in `-post`). JSON rather than a form, so that the CSRF check reads
-- the token from its header and leaves the body to the handler, as a script's request does.
wrk.method = "POST"
wrk.body = '{"note":"hello"}'
wrk.headers["Content-Type"] = "application/json"
