"""事项目录 — Service catalog: Standard service items (事项), versions, materials, guides and bundles (一件事)."""
