"""Rule packs as files: ``cn.yaml``, ``us.yaml``, ``uk.yaml`` (read by ``compliance/packs.py``)."""
