"""The site-wide pages and settings moved to the sitewide app (sitewide/0001): removed from
the blog's state only; their tables stay, under the same names, as sitewide's models."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0002_editorial_groups'),
        ('sitewide', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='conditionpagerecommendedproduct',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='conditionpagerecommendedproduct',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='homepage',
                    name='hero_image',
                ),
                migrations.RemoveField(
                    model_name='homepage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='homepage',
                    name='social_image',
                ),
                migrations.RemoveField(
                    model_name='homepagefeaturedproduct',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='homepagefeaturedproduct',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='sitechrome',
                    name='site',
                ),
                migrations.RemoveField(
                    model_name='standardpage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='standardpage',
                    name='social_image',
                ),
                migrations.DeleteModel(
                    name='ConditionPage',
                ),
                migrations.DeleteModel(
                    name='ConditionPageRecommendedProduct',
                ),
                migrations.DeleteModel(
                    name='HomePage',
                ),
                migrations.DeleteModel(
                    name='HomePageFeaturedProduct',
                ),
                migrations.DeleteModel(
                    name='SiteChrome',
                ),
                migrations.DeleteModel(
                    name='StandardPage',
                ),
            ],
            database_operations=[],
        ),
    ]
