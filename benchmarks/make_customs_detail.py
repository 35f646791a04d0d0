"""Write a synthetic customs query-platform export (trade-formats.md §3) for tests and benchmarks.

    python benchmarks/make_customs_detail.py --rows 1000000 --out /tmp/detail.csv --monthly

The file looks like what the customs statistics online query platform exports:
GBK, every line ending in a trailing comma, numbers with thousands separators
(quoted, as any CSV writer must), 8-digit HS codes with leading zeros (chapters
01–09 included), customs' own 3-digit partner codes with names, supervision
modes from customs_modes.csv plus common others, the 31 provinces as 注册地, two
quantities with their units, and the occasional tab character inside a field.
Values are random but plausible; nothing here is real data.

`--columns` picks a subset of the dimension columns (comma-separated headers), as
a user ticking fewer dimensions on the platform would; the value column is always
last. `--seed` makes the output reproducible.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from pathlib import Path

ALL_COLUMNS = ("数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "贸易方式编码",
               "贸易方式名称", "注册地编码", "注册地名称", "第一数量", "第一计量单位",
               "第二数量", "第二计量单位")
SIMPLE_COLUMNS = ("数据年月", "商品编码", "贸易伙伴编码", "贸易方式编码", "注册地编码")

# chapter -> (name stem, first unit, second unit or "")
CHAPTERS = {
    "03": ("冻鱼", "千克", ""), "06": ("鲜切花", "千克", "枝"), "08": ("鲜水果", "千克", ""),
    "09": ("茶叶", "千克", ""), "39": ("塑料制品", "千克", ""), "42": ("箱包", "千克", "个"),
    "61": ("针织服装", "件", "千克"), "62": ("梭织服装", "件", "千克"),
    "63": ("纺织制品", "千克", "条"), "64": ("鞋靴", "双", "千克"),
    "73": ("钢铁制品", "千克", ""), "84": ("机械器具", "台", "千克"),
    "85": ("电气设备", "台", "千克"), "87": ("车辆零件", "千克", "个"),
    "90": ("光学仪器", "台", "千克"), "94": ("家具灯具", "件", "千克"),
    "95": ("玩具", "千克", "个"), "96": ("杂项制品", "千克", "个"),
}
# customs' own 3-digit country codes (not ISO)
PARTNERS = (("110", "中国香港"), ("116", "日本"), ("133", "韩国"), ("141", "越南"),
            ("136", "泰国"), ("132", "新加坡"), ("122", "马来西亚"), ("112", "印度尼西亚"),
            ("129", "菲律宾"), ("502", "美国"), ("501", "加拿大"), ("303", "英国"),
            ("304", "德国"), ("305", "法国"), ("307", "意大利"), ("309", "荷兰"),
            ("312", "西班牙"), ("344", "俄罗斯联邦"), ("601", "澳大利亚"), ("410", "巴西"),
            ("429", "墨西哥"), ("138", "阿联酋"), ("137", "土耳其"), ("244", "南非"))
MODES = (("0110", "一般贸易"), ("9610", "跨境贸易电子商务"), ("1210", "保税跨境贸易电子商务"),
         ("9710", "跨境电子商务企业对企业直接出口"), ("9810", "跨境电子商务出口海外仓"),
         ("1039", "市场采购"), ("0139", "旅游购物商品"), ("0214", "来料加工贸易"),
         ("0615", "进料对口"), ("0654", "进料深加工"), ("1233", "保税仓库货物"),
         ("5034", "区内物流货物"))
MODE_WEIGHTS = (50, 6, 3, 4, 3, 6, 1, 5, 12, 3, 4, 3)
PROVINCES = (("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"),
             ("15", "内蒙古自治区"), ("21", "辽宁省"), ("22", "吉林省"), ("23", "黑龙江省"),
             ("31", "上海市"), ("32", "江苏省"), ("33", "浙江省"), ("34", "安徽省"),
             ("35", "福建省"), ("36", "江西省"), ("37", "山东省"), ("41", "河南省"),
             ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"), ("45", "广西壮族自治区"),
             ("46", "海南省"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"),
             ("53", "云南省"), ("54", "西藏自治区"), ("61", "陕西省"), ("62", "甘肃省"),
             ("63", "青海省"), ("64", "宁夏回族自治区"), ("65", "新疆维吾尔自治区"))
PROVINCE_WEIGHTS = (3, 2, 2, 1, 1, 2, 1, 1, 8, 14, 16, 2, 6, 1, 7, 2, 2, 2, 22, 2,
                    1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1)


def header(columns: tuple[str, ...], monthly: bool, currency: str) -> list[str]:
    chosen = [c for c in ALL_COLUMNS if c in columns and (monthly or c != "数据年月")]
    if monthly and "数据年月" not in chosen:
        chosen.insert(0, "数据年月")
    return [*chosen, "人民币" if currency == "CNY" else "美元"]


def grouped(number: float, decimals: int = 0) -> str:
    """1234567 -> '1,234,567' (what the platform prints)."""
    return f"{number:,.{decimals}f}"


def make_rows(rng: random.Random, count: int, columns: list[str], months: list[str]):  # type: ignore[no-untyped-def]
    """Yield `count` rows (lists of cells) for `columns`."""
    codes = []
    for chapter, (stem, unit1, unit2) in CHAPTERS.items():
        for _ in range(60):
            code = chapter + f"{rng.randrange(10**6):06d}"
            codes.append((code, f"{stem}{code[4:6]}号", unit1, unit2))
    code_cum = list(itertools.accumulate(rng.paretovariate(1.2) for _ in codes))
    province_cum = list(itertools.accumulate(PROVINCE_WEIGHTS))
    mode_cum = list(itertools.accumulate(MODE_WEIGHTS))
    for _ in range(count):
        code, name, unit1, unit2 = rng.choices(codes, cum_weights=code_cum)[0]
        partner = rng.choice(PARTNERS)
        mode = rng.choices(MODES, cum_weights=mode_cum)[0]
        province = rng.choices(PROVINCES, cum_weights=province_cum)[0]
        qty1 = rng.randrange(1, 500_000)
        value = qty1 * rng.randrange(3, 400)
        cells = {"数据年月": rng.choice(months), "商品编码": code, "商品名称": name,
                 "贸易伙伴编码": partner[0], "贸易伙伴名称": partner[1], "贸易方式编码": mode[0],
                 "贸易方式名称": mode[1], "注册地编码": province[0], "注册地名称": province[1],
                 "第一数量": grouped(qty1), "第一计量单位": unit1,
                 "第二数量": grouped(qty1 * rng.uniform(0.1, 3), 1) if unit2 else "",
                 "第二计量单位": unit2, "人民币": grouped(value), "美元": grouped(value / 7)}
        if rng.random() < 0.02:  # the platform's tab characters, kept out of codes' digits
            cells["商品编码"] = "\t" + code
            cells["商品名称"] = name[:2] + "\t" + name[2:]
        yield [cells[c] for c in columns]


def write(out: Path, rows: int, *, monthly: bool = False, currency: str = "CNY",
          columns: tuple[str, ...] = ALL_COLUMNS, year: int = 2024, seed: int = 7,
          encoding: str = "gbk") -> Path:
    """Write the file and return its path (importable from tests)."""
    rng = random.Random(seed)
    names = header(columns, monthly, currency)
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    with out.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=",\r\n")
        writer.writerow(names)
        batch: list[list[str]] = []
        for row in make_rows(rng, rows, names, months):
            batch.append(row)
            if len(batch) >= 50_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--monthly", action="store_true", help="include 数据年月 (YYYYMM)")
    parser.add_argument("--currency", choices=("CNY", "USD"), default="CNY")
    parser.add_argument("--columns", default=",".join(ALL_COLUMNS),
                        help="dimension columns to include; 'simple' for "
                             + ",".join(SIMPLE_COLUMNS))
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    chosen = SIMPLE_COLUMNS if args.columns == "simple" else tuple(args.columns.split(","))
    unknown = [c for c in chosen if c not in ALL_COLUMNS]
    if unknown:
        parser.error(f"unknown columns: {', '.join(unknown)}")
    write(args.out, args.rows, monthly=args.monthly, currency=args.currency, columns=chosen,
          year=args.year, seed=args.seed)


if __name__ == "__main__":
    main()
