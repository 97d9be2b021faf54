"""Prints `RESULT {tag: [{step, value} or {step, count, min, max}, ...]}` for the event files in a directory:
TF1's (simple_value, HistogramProto) and TF2's (tensor summaries) alike. Runs on TF 2.x."""
import glob
import json
import os
import sys

import tensorflow as tf

found = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "events.out.tfevents.*"))):
    for event in tf.compat.v1.train.summary_iterator(path):
        for value in event.summary.value:
            if value.HasField("simple_value"):
                record = {"value": float(value.simple_value)}
            elif value.HasField("histo"):  # count, min, max (the buckets differ by design)
                record = {"count": value.histo.num, "min": value.histo.min, "max": value.histo.max}
            elif value.HasField("tensor"):
                array = tf.make_ndarray(value.tensor)
                plugin = value.metadata.plugin_data.plugin_name
                if plugin == "scalars":
                    record = {"value": float(array)}
                elif plugin == "histograms":
                    record = {"count": float(array[:, 2].sum()), "min": float(array[0, 0]), "max": float(array[-1, 1])}
                else:
                    record = {"plugin": plugin}
            else:
                continue
            found.setdefault(value.tag, []).append(dict(record, step=event.step))
print("RESULT " + json.dumps(found, sort_keys=True))
