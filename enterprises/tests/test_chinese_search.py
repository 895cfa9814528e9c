"""pg_trgm must see Chinese characters on whichever PostgreSQL runs the portal (15 on servers, 18 embedded)."""

from django.db import connection


def test_pg_trgm_makes_trigrams_of_chinese_text(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT show_trgm(%s), word_similarity(%s, %s)", ["齐创新材料", "齐创新", "淄博齐创新材料科技有限公司"]
        )
        trigrams, similarity = cursor.fetchone()
    assert len(trigrams) >= 5, "the database's LC_CTYPE must classify CJK characters as letters (C.UTF-8 or zh_CN)"
    assert similarity > 0
