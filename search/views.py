"""The search page, its JSON twin for machines and the map, and the OpenSearch description."""

from urllib.parse import urlencode

from django.apps import apps
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from django_ratelimit.decorators import ratelimit

from core.territories import DEPARTEMENTS, REGIONS, departement_choices, region_choices
from search import selectors
from search.models import SearchDocument

FILTER_KEYS = ("q", "type", "departement", "region", "categorie", "source", "lat", "lon", "rayon", "du", "au")
API_RATE = "120/m"  # suggestions as you type go through it too (debounced)


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


def _query_string(data, **changes) -> str:
    """The current filters with some changed (None removes a key); the page always restarts at 1."""
    pairs = [
        (key, value) for key in FILTER_KEYS for value in data.getlist(key) if value and key not in changes
    ]
    for key, value in changes.items():
        if value is None:
            continue
        pairs += [(key, item) for item in (value if isinstance(value, list) else [value])]
    return urlencode(pairs)


def _source_names(ids) -> dict[str, str]:
    if not apps.is_installed("sources") or not ids:
        return {}
    Source = apps.get_model("sources", "Source")
    return {
        str(pk): name
        for pk, name in Source.objects.filter(pk__in=[int(i) for i in ids]).values_list("pk", "name")
    }


def _facet_labels(facets: dict) -> dict:
    types = dict(SearchDocument.Type.choices)
    sources = _source_names(list(facets["source"]))
    return {
        "type": {key: types.get(key, key) for key in facets["type"]},
        "departement": {
            key: f"{DEPARTEMENTS[key][0]} ({key})" for key in facets["departement"] if key in DEPARTEMENTS
        },
        "region": {key: REGIONS.get(key, key) for key in facets["region"]},
        "categorie": {key: key for key in facets["categorie"]},
        "source": {key: sources.get(key, key) for key in facets["source"]},
    }


@require_GET
def results(request):
    """/recherche/: the query and the filters are all in the URL; the page works without JavaScript."""
    params = selectors.parse_params(request.GET, language=_language())
    result = None if params.is_empty else selectors.search(user=request.user, params=params)
    facets = []
    if result is not None:
        labels = _facet_labels(result.facets)
        for key in ("categorie", "source"):
            current = request.GET.get(key, "")
            items = [
                {
                    "label": labels[key][value],
                    "count": count,
                    "selected": value == current,
                    "url": "?" + _query_string(request.GET, **{key: None if value == current else value}),
                }
                for value, count in result.facets[key].items()
            ]
            if items:
                facets.append({"key": key, "items": items})
    type_counts = result.facets["type"] if result else {}
    context = {
        "params": params,
        "result": result,
        "type_options": [
            {
                "value": value,
                "label": label,
                "count": type_counts.get(value, 0),
                "checked": value in params.types,
            }
            for value, label in SearchDocument.Type.choices
        ],
        "departements": departement_choices(),
        "regions": region_choices(),
        "facets": facets,
        "filters_query": _query_string(request.GET),
    }
    if result is not None:
        context["first_number"] = (result.page - 1) * selectors.PER_PAGE + 1
        context["previous_url"] = (
            "?" + _query_string(request.GET, page=str(result.page - 1)) if result.has_previous else ""
        )
        context["next_url"] = (
            "?" + _query_string(request.GET, page=str(result.page + 1)) if result.has_next else ""
        )
    return render(request, "search/results.html", context)


def _absolute(request, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


@require_GET
@ratelimit(key="ip", rate=API_RATE, block=True)
def api(request):
    """GET /api/recherche.json: the page's results for machines and the map, same visibility rules."""
    language = request.GET.get("langue") if request.GET.get("langue") in ("fr", "en") else _language()
    params = selectors.parse_params(request.GET, language=language)
    result = None if params.is_empty else selectors.search(user=request.user, params=params)
    results_list = []
    for hit in result.hits if result else []:
        document = hit.document
        item = {
            "type": document.doc_type,
            "title": document.title,
            "url": _absolute(request, document.url),
            "snippet": hit.snippet,
        }
        if document.doc_type == SearchDocument.Type.ALTERNATIVE:
            item.update(
                departement=document.departement,
                latitude=document.latitude,
                longitude=document.longitude,
                categories=document.categories,
                sources=document.source_ids,
            )
        if document.event_date is not None:
            item["date"] = document.event_date.isoformat()
        results_list.append(item)
    payload = {
        "query": params.q,
        "total": result.total if result else 0,
        "page": result.page if result else 1,
        "pages": result.pages if result else 0,
        "results": results_list,
        "facets": result.facets if result else {},
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def opensearch(request):
    """The OpenSearch description: browsers offer the portal as a search engine."""
    page = request.build_absolute_uri(reverse("search:results"))
    context = {
        "page_template": page + "?q={searchTerms}",
        "json_template": request.build_absolute_uri(reverse("search_api")) + "?q={searchTerms}",
        "icon": request.build_absolute_uri("/static/img/icon.svg"),
    }
    return HttpResponse(
        render(request, "search/opensearch.xml", context).content,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
