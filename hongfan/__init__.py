"""Hongfan (红帆): Party building and integrity governance for Chinese public hospitals."""
