"""One answer for out of memory across batond (docs/http.md): every place in
host/ that answers a request because memory ran out answers 503
out_of_memory. Reads the sources: a statement that replies or fills a
request error (bh_reply_error, bh_http_respond_error, bh_http_stream_fail,
bh_eval_fail and the handlers' fail/err helpers) and mentions "out of
memory" must carry 503 and "out_of_memory", and "out_of_memory" never
goes with another status."""

import glob
import os
import re
import sys

ANSWERS = re.compile(r"\b(bh_reply_error|bh_http_respond_error|bh_http_stream_fail|bh_eval_fail|"
                     r"fail|err|internal)\s*\(")


def statements(text):
    # Comments out, then split at ';' (good enough for this code's style).
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return text.split(";")


def main(root):
    bad = []
    files = sorted(glob.glob(os.path.join(root, "host", "**", "*.c"), recursive=True))
    if len(files) < 20:
        print("expected the host sources under %s/host" % root)
        return 1
    for path in files:
        with open(path, encoding="utf-8") as f:
            for st in statements(f.read()):
                flat = " ".join(st.split())
                if not ANSWERS.search(flat):
                    continue
                oom = "out of memory" in flat or "ENOMEM" in flat and "\"internal\"" in flat
                if (oom or "\"out_of_memory\"" in flat) and not (
                        re.search(r"\b503\b", flat) and "\"out_of_memory\"" in flat):
                    bad.append("%s: %s" % (os.path.relpath(path, root), flat[:160]))
    for b in bad:
        print(b)
    print("%d answer(s) to out of memory that are not 503 out_of_memory" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
