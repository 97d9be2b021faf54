"""Family 1: `tf.set_random_seed(s)` becomes `tf.random.set_seed(s)`.

Both make a program's random ops repeatable from the seed it gives. They do not draw the same
numbers: TensorFlow 2 derives each op's seed from the global seed in another way, eager and
graph alike, and every TF1 random op (`tf.random_normal` -> `tf.random.normal`) draws other
numbers natively anyway. The site's message says so; `tfshift verify-code` compares the two
programs from the same initial weights. tf_upgrade_v2 keeps `tf.compat.v1.set_random_seed`.
"""

from __future__ import annotations

from tfshift.native.family import Family, Site, Unit

_NAME = "tf.set_random_seed"


def find(unit: Unit) -> list[Site]:
    sites = []
    for ref in unit.calls(_NAME):
        if not ref.v1:
            continue
        call = ref.call
        if len(call.args) + len(call.keywords) != 1 or any(k.arg != "seed" for k in call.keywords):
            sites.append(FAMILY.site(unit, ref.node, _NAME, cannot="tf.set_random_seed with arguments other than the seed"))
            continue
        text, imports = unit.spell("tf.random.set_seed")
        sites.append(FAMILY.site(unit, ref.node, "tf.set_random_seed -> tf.random.set_seed (seeded alike, TF2 "
                                                 "draws other numbers from the same seed)",
                                 [unit.replace(ref.node, text)], imports))
    return sites


FAMILY = Family(number=1, name="seeds", order=60, find=find, claims=(_NAME,),
                summary="tf.set_random_seed -> tf.random.set_seed (seeded alike; TF2 draws other numbers)")
