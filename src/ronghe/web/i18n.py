"""UI strings of the web pages in Chinese (default) and English; the language comes from a ``lang``
query parameter (remembered in a cookie)."""

from __future__ import annotations

from fastapi import Request

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app": ("城乡融合数字治理平台", "Urban–rural integration governance platform"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码错误", "Wrong user name or password"),
    "too_many": ("登录失败次数过多，请 5 分钟后再试", "Too many failed sign-ins; try again in 5 minutes"),
    "overview": ("总览", "Overview"),
    "data": ("数据", "Data"),
    "admin": ("管理", "Admin"),
    "report": ("报告", "Report"),
    "year": ("年份", "Year"),
    "metric": ("指标", "Measure"),
    "show": ("显示", "Show"),
    "ranking": ("排名", "Ranking"),
    "rank": ("名次", "Rank"),
    "region": ("地区", "Region"),
    "value": ("数值", "Value"),
    "distribution": ("分布", "Distribution"),
    "level": ("层级", "Level"),
    "level_county": ("县级", "Counties"),
    "level_prefecture": ("地市级", "Prefectures"),
    "level_province": ("省级", "Provinces"),
    "level_mean": ("地市级、省级数值为其所辖县（市、区）数值的简单算术平均（不加权），"
                   "只计入您有权查看且有数值的县；n 为参与平均的县数。",
                   "Prefecture and province values are unweighted means over their counties "
                   "that you may see and that have a value; n is the number of counties averaged."),
    "n_counties": ("县数 n", "Counties n"),
    "results": ("评价结果", "Results"),
    "raw_values": ("原始指标", "Indicator values"),
    "topsis": ("TOPSIS 贴近度", "TOPSIS closeness"),
    "coupling_c": ("耦合度 C", "Coupling C"),
    "coordination_t": ("综合协调指数 T", "Coordination index T"),
    "lower_better": ("该指标越低越好，按从低到高排列。", "Lower is better: ranked from low to high."),
    "target_better": ("该指标越接近目标值越好，按与目标值的距离排列；目标值：",
                      "Closer to the target is better: ranked by distance from the target value of "),
    "no_units": ("您可查看的地区在该年份没有数据。", "No data for the regions you may see in this year."),
    "no_map": ("未安装地图组件（maps 扩展）或无边界数据，地图未显示。",
               "Map not shown: the maps extra or boundary data is not installed."),
    "no_data": ("数据库中还没有数据，请先导入。", "The database holds no data yet; import a file first."),
    "index": ("综合指数", "Integration index"),
    "ccd": ("耦合协调度 D", "Coupling coordination D"),
    "grade": ("协调等级", "Coordination grade"),
    "obstacles": ("主要障碍因子", "Leading obstacles"),
    "paths": ("推荐路径", "Recommended paths"),
    "peers": ("可借鉴地区", "Peer exemplars"),
    "degree": ("障碍度", "Obstacle degree"),
    "over_time": ("历年变化", "Over time"),
    "scenario": ("情景模拟", "Scenario"),
    "levers": ("调整下列指标（相对变化 %）", "Move these indicators (relative change, %)"),
    "new_index": ("情景综合指数", "Scenario index"),
    "baseline": ("基准", "Baseline"),
    "upload": ("上传数据文件", "Upload a data file"),
    "upload_hint": ("CSV、XLSX 或 Parquet，最大 20 MB", "CSV, XLSX or Parquet, at most 20 MB"),
    "source": ("来源说明", "Source note"),
    "check": ("校验", "Validate"),
    "validation": ("校验报告", "Validation report"),
    "confirm": ("确认导入", "Confirm import"),
    "imported": ("已导入", "Imported"),
    "unchanged": ("该文件已导入过，未重复导入", "This file was imported before; nothing changed"),
    "batches": ("导入批次", "Import batches"),
    "file": ("文件", "File"),
    "time": ("时间", "Time"),
    "user": ("用户", "User"),
    "values": ("数值个数", "Values"),
    "issues": ("问题", "Issues"),
    "no_issues": ("未发现问题", "No issues found"),
    "users": ("用户", "Users"),
    "role": ("角色", "Role"),
    "regions": ("负责地区", "Assigned regions"),
    "regions_hint": ("地区代码，逗号分隔", "Region codes, comma separated"),
    "create_user": ("新建用户", "Create user"),
    "save": ("保存", "Save"),
    "token": ("API 令牌", "API token"),
    "new_token": ("生成令牌", "Create token"),
    "token_once": ("请立即复制，此令牌只显示一次：", "Copy it now; the token is shown only once:"),
    "audit": ("审计日志", "Audit log"),
    "action": ("操作", "Action"),
    "user_active": ("已启用", "Active"),
    "user_inactive": ("已停用", "Deactivated"),
    "open_sessions": ("在线会话", "Open sessions"),
    "deactivate": ("停用", "Deactivate"),
    "reactivate": ("重新启用", "Reactivate"),
    "new_password": ("新密码（至少 8 位）", "New password (8+ characters)"),
    "reset_password": ("重置密码", "Reset password"),
    "own_deactivate": ("不能停用自己的账号", "You cannot deactivate your own account"),
    "own_role": ("不能修改自己的角色", "You cannot change your own role"),
    "api_tokens": ("API 令牌", "API tokens"),
    "token_name": ("名称", "Name"),
    "token_owner": ("所属用户", "Owner"),
    "created_at": ("创建时间", "Created"),
    "token_valid": ("有效", "Valid"),
    "token_revoked": ("已吊销", "Revoked"),
    "revoke": ("吊销", "Revoke"),
    "no_tokens": ("暂无令牌", "No tokens"),
    "tokens_note": ("令牌由管理员在“管理”页生成，仅在生成时显示一次；吊销后立即失效。",
                    "Tokens are created by an administrator on the Admin page and shown only "
                    "once; a revoked token stops working at once."),
    "forbidden": ("无权访问", "Not allowed"),
    "not_found": ("未找到", "Not found"),
    "error": ("错误", "Error"),
    "download_report": ("下载 HTML 报告", "Download the HTML report"),
    "profile": ("地区画像", "Region profile"),
    "type": ("类型", "Type"),
    "demo": ("演示模式：合成数据，仅供体验", "Demo mode: synthetic data, for trying the platform only"),
}


def lang_of(request: Request) -> str:
    """``lang`` query parameter, else the ``lang`` cookie, else Chinese."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in LANGS else "zh"


def translator(lang: str):  # type: ignore[no-untyped-def]
    """A function key -> text in ``lang`` (the key itself when unknown)."""
    i = LANGS.index(lang)
    return lambda key: STRINGS[key][i] if key in STRINGS else key
