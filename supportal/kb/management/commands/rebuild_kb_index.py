"""Re-index every KB document (after changing SUPPORTAL_KB_SEARCH_LANGUAGE, or a bulk load)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from supportal.kb import search, services
from supportal.kb.models import Article, DocPage, TrainingVideo


class Command(BaseCommand):
    help = "Rebuild the knowledge-base search index from the articles, docs and videos."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for article in Article.objects.select_related("product", "category"):
                services.sync_article(article)
            for page in DocPage.objects.select_related("product"):
                services.sync_doc_page(page)
            for video in TrainingVideo.objects.select_related("product"):
                services.sync_video(video)
            count = search.rebuild_index()
        self.stdout.write(f"Indexed {count} documents with the {search.engine_name()} engine.")
