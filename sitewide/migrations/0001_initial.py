"""The site-wide pages and settings, moved here from the blog app (issue 11).

State only: the tables already exist under their blog_* names (each model's Meta.db_table
keeps them), so nothing in the database changes. blog/0003 removes the models from the
blog's state; 0002 points the existing content types at this app.
"""

import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('blog', '0002_editorial_groups'),
        ('catalogue', '0032_category_exclude_from_menu_category_long_description'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ConditionPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('canonical_url', models.URLField(blank=True, help_text="Only when this content's main copy lives at another address; leave blank to use this page's own URL.")),
                        ('intro', models.TextField(help_text='A short introduction shown under the title.')),
                        ('body', wagtail.fields.StreamField([('heading', 3), ('paragraph', 4), ('image', 8), ('callout', 12), ('quote', 14), ('product', 17), ('download_offer', 22), ('references', 31), ('related_articles', 35)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'max_length': 150}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Heading 2'), ('h3', 'Heading 3')]}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'Optional link target (#anchor); made from the text when left blank.', 'max_length': 80, 'required': False}), 3: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1), ('anchor', 2)]], {}), 4: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'superscript'], 'icon': 'pilcrow', 'template': 'blog/blocks/paragraph.html'}), 5: ('wagtail.images.blocks.ImageChooserBlock', (), {}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for people who cannot see it.', 'max_length': 200}), 7: ('wagtail.blocks.CharBlock', (), {'max_length': 250, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 5), ('alt_text', 6), ('caption', 7)]], {}), 9: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('tip', 'Tip'), ('note', 'Note'), ('warning', 'See a doctor')]}), 10: ('wagtail.blocks.CharBlock', (), {'max_length': 120, 'required': False}), 11: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link']}), 12: ('wagtail.blocks.StructBlock', [[('style', 9), ('title', 10), ('text', 11)]], {}), 13: ('wagtail.blocks.TextBlock', (), {}), 14: ('wagtail.blocks.StructBlock', [[('quote', 13), ('attribution', 10)]], {}), 15: ('blog.blocks.ProductChooserBlock', (), {}), 16: ('wagtail.blocks.TextBlock', (), {'help_text': 'Optional: why this product helps, in a sentence or two.', 'required': False}), 17: ('wagtail.blocks.StructBlock', [[('product', 15), ('text', 16)]], {}), 18: ('wagtail.documents.blocks.DocumentChooserBlock', (), {}), 19: ('wagtail.blocks.CharBlock', (), {'default': 'Download the Guide to Understanding Pain', 'max_length': 120}), 20: ('wagtail.blocks.TextBlock', (), {'required': False}), 21: ('wagtail.blocks.CharBlock', (), {'default': 'Send me the guide', 'max_length': 40}), 22: ('wagtail.blocks.StructBlock', [[('document', 18), ('title', 19), ('text', 20), ('button_label', 21)]], {}), 23: ('wagtail.blocks.CharBlock', (), {'default': 'References', 'max_length': 80}), 24: ('wagtail.blocks.CharBlock', (), {'help_text': 'E.g. Burke D.', 'max_length': 200}), 25: ('wagtail.blocks.IntegerBlock', (), {'max_value': 2100, 'min_value': 1800, 'required': False}), 26: ('wagtail.blocks.CharBlock', (), {'max_length': 300}), 27: ('wagtail.blocks.CharBlock', (), {'max_length': 200, 'required': False}), 28: ('wagtail.blocks.URLBlock', (), {'required': False}), 29: ('wagtail.blocks.StructBlock', [[('authors', 24), ('year', 25), ('title', 26), ('publisher', 27), ('url', 28)]], {}), 30: ('wagtail.blocks.ListBlock', (29,), {}), 31: ('wagtail.blocks.StructBlock', [[('heading', 23), ('references', 30)]], {}), 32: ('wagtail.blocks.CharBlock', (), {'default': 'Related articles', 'max_length': 80}), 33: ('wagtail.blocks.PageChooserBlock', (), {'page_type': ['blog.ArticlePage']}), 34: ('wagtail.blocks.ListBlock', (33,), {'default': [], 'required': False}), 35: ('wagtail.blocks.StructBlock', [[('heading', 32), ('articles', 34)]], {})})),
                        ('tag_name', models.CharField(help_text='Articles with this tag are listed on the page, e.g. "back pain".', max_length=100)),
                        ('social_image', models.ForeignKey(blank=True, help_text="Shown when the page is shared (Open Graph and Twitter card), 1200x630 works best. Falls back to the page's banner image.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                    ],
                    options={
                        'db_table': 'blog_conditionpage',
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='ConditionPageRecommendedProduct',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommended_products', to='sitewide.conditionpage')),
                        ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product')),
                    ],
                    options={
                        'db_table': 'blog_conditionpagerecommendedproduct',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='HomePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('canonical_url', models.URLField(blank=True, help_text="Only when this content's main copy lives at another address; leave blank to use this page's own URL.")),
                        ('hero_title', models.CharField(default='Drug-free pain relief at home', max_length=120)),
                        ('hero_text', models.TextField(blank=True)),
                        ('body', wagtail.fields.RichTextField(blank=True)),
                        ('clinic_callout_title', models.CharField(default='Find a clinic near you', max_length=120)),
                        ('clinic_callout_text', models.TextField(blank=True, default='Prefer to try a device with a professional first? Our partner clinics use the same therapy.')),
                        ('guarantee_title', models.CharField(default='90-day money-back guarantee', max_length=120)),
                        ('guarantee_text', models.TextField(blank=True, default="Try any device at home; if it doesn't help, send it back for a full refund.")),
                        ('hero_image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                        ('social_image', models.ForeignKey(blank=True, help_text="Shown when the page is shared (Open Graph and Twitter card), 1200x630 works best. Falls back to the page's banner image.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                    ],
                    options={
                        'db_table': 'blog_homepage',
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='HomePageFeaturedProduct',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='featured_products', to='sitewide.homepage')),
                        ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product')),
                    ],
                    options={
                        'db_table': 'blog_homepagefeaturedproduct',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='SiteChrome',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('announcement_text', models.CharField(default='90 Day Money Back Guarantee', max_length=120)),
                        ('announcement_url', models.CharField(default='/guarantee/', help_text='Where the announcement bar links to.', max_length=200)),
                        ('phone_label', models.CharField(default='Toll Free:', max_length=40)),
                        ('phone_display', models.CharField(default='1-877-555-0142', help_text='As shown, e.g. 1-877-555-0142.', max_length=40)),
                        ('phone_tel', models.CharField(default='+18775550142', help_text='For tel: links, digits with +1.', max_length=20)),
                        ('contact_email', models.EmailField(default='support@reliefworks.example', max_length=254)),
                        ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                    ],
                    options={
                        'verbose_name': 'Site chrome',
                        'db_table': 'blog_sitechrome',
                    },
                ),
                migrations.CreateModel(
                    name='StandardPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('canonical_url', models.URLField(blank=True, help_text="Only when this content's main copy lives at another address; leave blank to use this page's own URL.")),
                        ('intro', models.TextField(blank=True)),
                        ('body', wagtail.fields.RichTextField(blank=True)),
                        ('social_image', models.ForeignKey(blank=True, help_text="Shown when the page is shared (Open Graph and Twitter card), 1200x630 works best. Falls back to the page's banner image.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                    ],
                    options={
                        'db_table': 'blog_standardpage',
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
