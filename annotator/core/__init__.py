"""The Qt-free core: records, offsets, tokens, the store, import, export and agreement."""
