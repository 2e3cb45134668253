"""The reference trait adapter: Nuki locks exposed through Yonomi-style traits (issue [4/6])."""
