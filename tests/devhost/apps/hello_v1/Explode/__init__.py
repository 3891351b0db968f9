def main(fuse: str) -> str:
    raise ValueError(f"{fuse} lit")
