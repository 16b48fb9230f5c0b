package io.sequencer.adapters.report;

/**
 * The report page's one stylesheet, inline in the page: its hash is the only style the page's
 * Content-Security-Policy allows.
 */
final class ReportStyle {
    static final String CSS = """
            :root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--panel:#f8fafc;--accent:#0072b2}
            *{box-sizing:border-box}
            body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,\
            "Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;-webkit-text-size-adjust:100%}
            main{max-width:1240px;margin:0 auto;padding:28px 20px 40px}
            h1{font-size:1.75rem;line-height:1.25;margin:0 0 8px;overflow-wrap:anywhere}
            h2{font-size:1.15rem;margin:0 0 4px}
            section{margin-top:32px}
            .kicker{margin:0;color:var(--accent);font-weight:600;font-size:.8rem;letter-spacing:.06em;\
            text-transform:uppercase}
            .meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0;color:var(--muted)}
            .meta div{display:flex;gap:6px}
            .meta dt{font-weight:600}
            .meta dd{margin:0;overflow-wrap:anywhere}
            code{font:.92em ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
            .hint{margin:0 0 12px;color:var(--muted);font-size:.9rem}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:12px}
            .card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
            .card .label{display:block;color:var(--muted);font-size:.85rem}
            .card .value{display:block;font-size:1.9rem;font-weight:650;font-variant-numeric:tabular-nums;\
            line-height:1.2}
            .card .note{display:block;color:var(--muted);font-size:.8rem}
            .chart{overflow-x:auto;border:1px solid var(--line);border-radius:10px;padding:8px}
            .chart svg{display:block;height:auto;min-width:640px}
            .chart svg.fit{width:100%}
            .chart text{fill:var(--muted);font-size:12px}
            .chart .legend text{fill:var(--ink);font-size:13px}
            .chart .label{fill:var(--ink)}
            .chart .name{font-size:12px}
            .chart .note{font-size:15px}
            .chart .grid{stroke:var(--line)}
            .chart .base,.chart .tickmark{stroke:#9aa5b1}
            .chart .line{stroke-width:2.25;stroke-linejoin:round;stroke-linecap:round}
            .chart .area{opacity:.08}
            .chart .day{fill:#1f2933;fill-opacity:0}
            .chart .day:hover{fill-opacity:.06}
            .chart .step:hover rect{opacity:.85}
            .table{overflow-x:auto;border:1px solid var(--line);border-radius:10px}
            table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top;\
            white-space:nowrap}
            thead th{background:var(--panel);font-weight:600;color:var(--muted);white-space:normal;\
            vertical-align:bottom}
            tbody tr:last-child>*{border-bottom:0}
            th.text,td.text{text-align:left;white-space:normal;overflow-wrap:anywhere;min-width:7em}
            tbody th{font-weight:400}
            td.parts{white-space:normal;min-width:9.5em}
            td{font-variant-numeric:tabular-nums}
            .sub{display:block;color:var(--muted);font-size:.8rem}
            .msg{font-weight:400;white-space:pre-wrap;overflow-wrap:anywhere;max-width:28rem}
            .zero{color:#9aa5b1}
            .cards+.table{margin-top:12px}
            h3{font-size:1rem;margin:20px 0 8px}
            .poison{border:1px solid var(--line);border-radius:10px;padding:16px 18px;background:var(--panel)}
            .poison.alert{border-color:#d55e00;background:#fff4ec}
            .poison.alert h2{color:#a63f00}
            .poison p{margin:6px 0}
            .poison pre{margin:8px 0;padding:10px 12px;background:#fff;border:1px solid #f0c3a5;border-radius:6px;\
            white-space:pre-wrap;overflow-wrap:anywhere;font:.85rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            footer{margin-top:36px;color:var(--muted);font-size:.8rem}
            @media (max-width:600px){main{padding:18px 12px 28px}h1{font-size:1.4rem}.card .value{font-size:1.5rem}}
            """;

    private ReportStyle() {}
}
